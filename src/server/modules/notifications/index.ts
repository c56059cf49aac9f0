import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { AlertsService } from '../alerts/index.js';
import { NotificationCorrelator } from './notifications.correlate.js';
import { notificationsRoutes } from './notifications.routes.js';
import { type NotificationsService, notificationsService } from './notifications.service.js';

export {
  DEFAULT_CORRELATION_RADIUS_M,
  happeningOf,
  NotificationCorrelator,
} from './notifications.correlate.js';
export { type NotificationsService, notificationsService } from './notifications.service.js';

/**
 * Deconfliction notifications wired once: the service, its routes, the live layer's snapshot and
 * the correlator that raises "notified site affected" alerts (feed it the relay's events).
 */
export function createNotifications(
  db: Db,
  alerts: AlertsService,
  log: Logger,
  opts: { correlationRadiusM?: number } = {},
) {
  const service: NotificationsService = notificationsService(db, alerts);
  const correlator = new NotificationCorrelator(db, alerts, log, opts.correlationRadiusM);
  return {
    service,
    correlator,
    routes: notificationsRoutes(service),
    liveSource: (viewer: Parameters<NotificationsService['snapshot']>[0]) => service.snapshot(viewer),
    stop: () => correlator.stop(),
  };
}
