export { identitiesRoutes } from './identities.routes.js';
export { type IdentitiesService, identitiesService, type NewUser } from './identities.service.js';
export { identitiesStore, toViewer } from './identities.store.js';
