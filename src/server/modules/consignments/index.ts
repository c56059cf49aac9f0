import { CONSIGNMENTS_LAYER, CONVOYS_LAYER } from '../../../domain/consignments.js';
import type { Db } from '../../db/database.js';
import { consignmentsRoutes } from './consignments.routes.js';
import { consignmentsService } from './consignments.service.js';
import { convoysService, type TrackPositions } from './convoys.service.js';

export type { Consignment, ConsignmentDetail } from './consignments.features.js';
export { toConsignment, toNewConsignment } from './consignments.features.js';
export {
  type ConsignmentCollection,
  type ConsignmentsService,
  consignmentEvents,
  consignmentsService,
} from './consignments.service.js';
export { consignmentsStore, type NewConsignment } from './consignments.store.js';
export { type ConvoyFeature, type ConvoysService, convoysService } from './convoys.service.js';
export { convoysStore } from './convoys.store.js';

/**
 * Consignments and convoys, wired once: the services, the REST routes and the live layers'
 * snapshots. The HXL import checks its rows itself and stores them by `consignmentsStore.insertMany`.
 */
export function createConsignments(db: Db, tracks: TrackPositions) {
  const convoys = convoysService(db, tracks);
  const consignments = consignmentsService(db, { onConvoyChanged: convoys.publish });
  return {
    consignments,
    convoys,
    routes: consignmentsRoutes(consignments, convoys),
    liveSources: {
      [CONVOYS_LAYER]: convoys.snapshot,
      [CONSIGNMENTS_LAYER]: async (viewer: Parameters<typeof convoys.snapshot>[0]) =>
        (await consignments.list(viewer, {})).consignments,
    },
  };
}
export type Consignments = ReturnType<typeof createConsignments>;
