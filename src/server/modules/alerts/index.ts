import type { Logger } from 'pino';
import type { AlertFeature } from '../../../domain/alert-status.js';
import type { Db } from '../../db/database.js';
import { alertsRoutes } from './alerts.routes.js';
import { type AlertsService, alertsService } from './alerts.service.js';
import { WebhookWorker, type WebhookWorkerOptions } from './webhook-worker.js';
import { webhooksService } from './webhooks.service.js';

export { type AlertCollection, type AlertsService, alertsService } from './alerts.service.js';
export type { NewNotifiedSiteAlert } from './alerts.store.js';
export { signature, type WebhookBody, WebhookWorker } from './webhook-worker.js';
export { type Webhook, webhooksService, webhookUrlProblem } from './webhooks.service.js';

export interface AlertsOptions extends WebhookWorkerOptions {
  dedupWindowMs?: number;
  /** Told of the alerts each raise stored, after the commit; must not throw. */
  onRaised?: (alerts: readonly AlertFeature[]) => void;
}

/**
 * Everything alerts need, wired once: the service the track engine raises into, the webhooks and
 * their delivery worker (woken by each raise), the REST routes and the live layer's snapshot.
 */
export function createAlerts(db: Db, log: Logger, opts: AlertsOptions = {}) {
  const worker = new WebhookWorker(db, log, opts);
  const service: AlertsService = alertsService(db, {
    dedupWindowMs: opts.dedupWindowMs,
    onRaised: (raised) => {
      worker.wake();
      opts.onRaised?.(raised);
    },
    log,
  });
  const webhooks = webhooksService(db);
  return {
    service,
    webhooks,
    worker,
    routes: alertsRoutes(service, webhooks),
    liveSource: service.snapshot,
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
export type Alerts = ReturnType<typeof createAlerts>;
