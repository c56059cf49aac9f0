import type { Logger } from 'pino';
import { AID_NOTICES_LAYER, CROSSINGS_LAYER } from '../../../domain/crossings.js';
import type { Db } from '../../db/database.js';
import { countsService } from './counts.service.js';
import { crossingsRoutes } from './crossings.routes.js';
import { crossingsService } from './crossings.service.js';

export { type CountsService, countsService, reconcileRows } from './counts.service.js';
export { countsStore, type NewCount } from './counts.store.js';
export {
  type BoardCrossing,
  type CrossingFeature,
  type CrossingsService,
  crossingsService,
  DAY_MS,
  dayOf,
  lastDays,
  type Notice,
  startOfDay,
  throughputSeries,
} from './crossings.service.js';
export { crossingsStore, type NewCrossing, type ThroughputRow } from './crossings.store.js';

/**
 * Crossings, wired once: the board and status (with notices to the owners of affected
 * consignments), count reconciliation, the REST routes and the live layers' snapshots.
 */
export function createCrossings(db: Db, log: Logger) {
  const crossings = crossingsService(db, log);
  const counts = countsService(db);
  return {
    crossings,
    counts,
    routes: crossingsRoutes(crossings, counts),
    liveSources: {
      [CROSSINGS_LAYER]: crossings.liveCrossings,
      [AID_NOTICES_LAYER]: crossings.liveNotices,
    },
  };
}
export type Crossings = ReturnType<typeof createCrossings>;
