import { ALERT_SEVERITIES, type AlertSeverity } from '../../../domain/alerts.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { problems } from '../../platform/errors.js';
import { newSecret } from '../../platform/tokens.js';
import { webhooksStore as store, type WebhookRow } from './webhooks.store.js';

export interface WebhookInput {
  url: string;
  minSeverity?: AlertSeverity;
  /** Optional: a shared secret the receiver already has; otherwise one is made and shown once. */
  secret?: string;
}

export interface Webhook {
  id: string;
  owner: string;
  url: string;
  minSeverity: AlertSeverity;
  active: boolean;
  createdAt: string;
  deliveries: { delivered: number; pending: number; failed: number; lastError: string | null };
}

export const MAX_URL_LENGTH = 2000;

/** Why a webhook URL is refused, or null: http(s) only, and no credentials in it (they would be logged and shown). */
export function webhookUrlProblem(raw: string): string | null {
  if (raw.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must use http or https';
  if (u.username || u.password)
    return 'must not carry a user name or password; the receiver checks the signature';
  if (!u.hostname) return 'has no host';
  return null;
}

function toWebhook(r: WebhookRow): Webhook {
  return {
    id: r.id,
    owner: r.owner_username,
    url: r.url,
    minSeverity: r.min_severity as AlertSeverity,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    deliveries: { delivered: r.delivered, pending: r.pending, failed: r.failed, lastError: r.last_error },
  };
}

function requireWebhooks(viewer: Viewer): void {
  if (!hasPermission(viewer.roles, 'alerts:webhooks'))
    throw problems.forbidden('Only admins, planners and monitors register alert webhooks.');
}

/** Administrators see and remove every webhook; others only their own. */
const scopeOf = (viewer: Viewer) => (viewer.roles.includes('admin') ? null : viewer.userId);

export function webhooksService(db: Db) {
  return {
    /** Registers a webhook; the answer carries the secret, which is never shown again. */
    async create(viewer: Viewer, input: WebhookInput): Promise<Webhook & { secret: string }> {
      requireWebhooks(viewer);
      const why = webhookUrlProblem(input.url);
      if (why) throw problems.badRequest(`url ${why}.`, { field: 'url' });
      const minSeverity = input.minSeverity ?? 'info';
      if (!ALERT_SEVERITIES.includes(minSeverity))
        throw problems.badRequest(`minSeverity must be one of ${ALERT_SEVERITIES.join(', ')}.`);
      const secret = input.secret ?? newSecret('whsec');
      const id = await store.insert(db.app, { owner: viewer.userId, url: input.url, secret, minSeverity });
      return { ...toWebhook((await store.get(db.app, id))!), secret };
    },

    async list(viewer: Viewer): Promise<Webhook[]> {
      requireWebhooks(viewer);
      return (await store.list(db.app, scopeOf(viewer))).map(toWebhook);
    },

    async remove(viewer: Viewer, id: string): Promise<void> {
      requireWebhooks(viewer);
      if (!(await store.remove(db.app, id, scopeOf(viewer)))) throw problems.notFound(`Webhook ${id}`);
    },
  };
}
export type WebhooksService = ReturnType<typeof webhooksService>;
