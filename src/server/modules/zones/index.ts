export { ZONES_LAYER } from './zones.features.js';
export { zonesRoutes } from './zones.routes.js';
export { CONTROL_LINE_KINDS, controlLinesInForce, type ZonesService, zonesService } from './zones.service.js';
export type { ZoneVersionRow } from './zones.store.js';
