import type { Logger } from 'pino';
import type { AlertFeature } from '../../../domain/alert-status.js';
import type { Db } from '../../db/database.js';
import { automaticIncidents } from './incidents.auto.js';
import { incidentsRoutes } from './incidents.routes.js';
import { type IncidentsService, incidentsService } from './incidents.service.js';

export { type AutomaticIncidents, automaticIncidents } from './incidents.auto.js';
export { type IncidentFilterText, incidentFilterOf } from './incidents.query.js';
export {
  type IncidentCollection,
  type IncidentCounts,
  type IncidentListFilter,
  type IncidentsService,
  incidentsService,
} from './incidents.service.js';
export type { ActionInput } from './incidents.workflow.js';

/**
 * Everything incidents need, wired once: the service, its REST routes, the live layer's snapshot
 * and the automatic incidents opened from geofence alerts.
 */
export function createIncidents(db: Db, log: Logger) {
  const service: IncidentsService = incidentsService(db);
  const auto = automaticIncidents(db, log);
  return {
    service,
    auto,
    routes: incidentsRoutes(service),
    liveSource: service.snapshot,
    /** For the alerts service: called with the alerts each raise stored. */
    onAlertsRaised: (alerts: readonly AlertFeature[]) => auto.fromAlerts(alerts),
    stop: () => auto.stop(),
  };
}
export type Incidents = ReturnType<typeof createIncidents>;
