export { zonesRoutes } from './zones.routes.js';
export {
  CONTROL_LINE_KINDS,
  controlLinesInForce,
  ZONES_LAYER,
  type ZonesService,
  zonesService,
} from './zones.service.js';
export type { ZoneVersionRow } from './zones.store.js';
