export { zonesRoutes } from './zones.routes.js';
export { ZONES_LAYER, type ZonesService, zonesService } from './zones.service.js';
export type { ZoneVersionRow } from './zones.store.js';
