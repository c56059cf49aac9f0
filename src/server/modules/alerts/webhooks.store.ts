import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.js';

type Q = Db['app'] | Db['system'] | Tx;

export interface WebhookRow {
  id: string;
  owner: string;
  owner_username: string;
  url: string;
  min_severity: string;
  active: boolean;
  created_at: Date;
  delivered: number;
  pending: number;
  failed: number;
  last_error: string | null;
}

export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  alert_id: string;
  attempts: number;
}

export interface DeliveryTarget {
  url: string;
  secret: string;
  owner: string;
  active: boolean;
}

/** Counts only: which alerts were delivered stays with the alerts, under their markings. */
const WEBHOOK_COLUMNS = sql`w.id, w.owner, u.username AS owner_username, w.url, w.min_severity, w.active, w.created_at,
  (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.delivered_at IS NOT NULL)::int AS delivered,
  (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.delivered_at IS NULL AND d.gave_up_at IS NULL)::int AS pending,
  (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.gave_up_at IS NOT NULL)::int AS failed,
  (SELECT d.last_error FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.last_error IS NOT NULL
    ORDER BY d.id DESC LIMIT 1) AS last_error`;

export const webhooksStore = {
  async insert(
    q: Q,
    w: { owner: string; url: string; secret: string; minSeverity: string },
  ): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO alert_webhooks (owner, url, secret, min_severity)
      VALUES (${w.owner}, ${w.url}, ${w.secret}, ${w.minSeverity}) RETURNING id`.execute(q);
    return r.rows[0]!.id;
  },

  /** The owner's webhooks, or everyone's (owner null, for administrators). */
  async list(q: Q, owner: string | null): Promise<WebhookRow[]> {
    const r = await sql<WebhookRow>`
      SELECT ${WEBHOOK_COLUMNS} FROM alert_webhooks w JOIN users u ON u.id = w.owner
      ${owner ? sql`WHERE w.owner = ${owner}` : sql``}
      ORDER BY w.created_at, w.id`.execute(q);
    return r.rows;
  },

  async get(q: Q, id: string): Promise<WebhookRow | undefined> {
    const r = await sql<WebhookRow>`
      SELECT ${WEBHOOK_COLUMNS} FROM alert_webhooks w JOIN users u ON u.id = w.owner
      WHERE w.id = ${id}`.execute(q);
    return r.rows[0];
  },

  /** Deletes the webhook (and, by cascade, its queue) when owned by `owner` (any owner when null). */
  async remove(q: Q, id: string, owner: string | null): Promise<boolean> {
    const r = await sql`
      DELETE FROM alert_webhooks WHERE id = ${id} ${owner ? sql`AND owner = ${owner}` : sql``}`.execute(q);
    return Number(r.numAffectedRows ?? 0) > 0;
  },

  /**
   * Takes up to `limit` due deliveries for one attempt each: counts the attempt and leases them for
   * `leaseMs`, so another node (or a crash) does not try them again meanwhile.
   */
  async claimDue(q: Q, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const r = await sql<ClaimedDelivery>`
      UPDATE webhook_deliveries d
      SET attempts = d.attempts + 1, next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
      WHERE d.id IN (
        SELECT id FROM webhook_deliveries
        WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING d.id::text AS id, d.webhook_id, d.alert_id, d.attempts`.execute(q);
    return r.rows;
  },

  async target(q: Q, webhookId: string): Promise<DeliveryTarget | undefined> {
    const r = await sql<DeliveryTarget>`
      SELECT url, secret, owner, active FROM alert_webhooks WHERE id = ${webhookId}`.execute(q);
    return r.rows[0];
  },

  async delivered(q: Q, id: string, status: number): Promise<void> {
    await sql`UPDATE webhook_deliveries SET delivered_at = now(), last_status = ${status}, last_error = NULL
      WHERE id = ${id}`.execute(q);
  },

  async failed(q: Q, id: string, r: { status: number | null; error: string; retryInMs: number | null }) {
    await sql`UPDATE webhook_deliveries SET last_status = ${r.status}, last_error = ${r.error},
      ${r.retryInMs === null ? sql`gave_up_at = now()` : sql`next_attempt_at = now() + ${`${r.retryInMs} milliseconds`}::interval`}
      WHERE id = ${id}`.execute(q);
  },

  /** Forgets a delivery the owner may not (or no longer) receive: nothing about it is kept or shown. */
  async drop(q: Q, id: string): Promise<void> {
    await sql`DELETE FROM webhook_deliveries WHERE id = ${id}`.execute(q);
  },
};
