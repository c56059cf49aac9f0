import type { Db } from '../../db/database.js';
import { facilitiesRoutes } from './facilities.routes.js';
import { type FacilitiesService, facilitiesService } from './facilities.service.js';

export {
  type FacilitiesService,
  type FacilityCollection,
  facilitiesService,
  toFacilityFeature,
} from './facilities.service.js';

/** Facilities wired once: the service, its routes and the live layer's snapshot. */
export function createFacilities(db: Db) {
  const service: FacilitiesService = facilitiesService(db);
  return { service, routes: facilitiesRoutes(service), liveSource: service.snapshot };
}
