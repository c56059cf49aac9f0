import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertFeature } from '../../../domain/alert-status.js';
import { canSee } from '../../../domain/marking.js';
import { type Db, failureLevel } from '../../db/database.js';
import { identitiesStore, toViewer } from '../identities/index.js';
import { toAlertFeature } from './alerts.features.js';
import { alertsStore } from './alerts.store.js';
import { type ClaimedDelivery, webhooksStore as store } from './webhooks.store.js';

export interface WebhookWorkerOptions {
  /** Wait after each failed attempt; after the last one the delivery is given up. */
  backoffMs?: readonly number[];
  /** How often the queue is looked at when nothing wakes the worker. */
  pollMs?: number;
  timeoutMs?: number;
}

/** 5 s, 30 s, 2 min, 10 min, 1 h: six attempts over about 73 minutes, then given up. */
export const DEFAULT_BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000] as const;
const BATCH = 20;
/** What a request may take, plus margin: no other worker retries it meanwhile. */
const LEASE_MARGIN_MS = 10_000;

/** The body the receiver gets; the signature covers exactly these bytes. */
export interface WebhookBody {
  event: 'alert.raised';
  deliveryId: string;
  alert: AlertFeature;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Delivers queued alerts to webhooks, in process: a setTimeout chain that runs when woken (after a
 * raise) or every `pollMs`. Each alert goes out only if the webhook's owner may see it at delivery
 * time; otherwise the delivery is dropped without a trace the owner could read.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly backoff: readonly number[];
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    opts: WebhookWorkerOptions = {},
  ) {
    this.backoff = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.pollMs = opts.pollMs ?? 2_000;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.pollMs);
  }

  /** Looks at the queue now (or right after the run in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** One pass over what is due; resolves when done (tests call it to avoid waiting for the poll). */
  async runOnce(): Promise<void> {
    for (;;) {
      const due = await this.db.asSystem((tx) => store.claimDue(tx, BATCH, this.timeoutMs + LEASE_MARGIN_MS));
      await Promise.all(due.map((d) => this.deliver(d)));
      if (due.length < BATCH) return;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        // The queue is in the database: nothing is lost when PostgreSQL stops with Concord.
        .catch((e: Error) =>
          this.log[failureLevel(this.db, e)]({ err: e }, 'webhook deliveries: failed; will retry'),
        )
        .finally(() => {
          this.running = null;
          if (this.stopped) return;
          const now = this.again;
          this.again = false;
          this.schedule(now ? 0 : this.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const found = await this.db.asSystem(async (tx) => {
      const target = await store.target(tx, d.webhook_id);
      const owner = target ? await identitiesStore.findUserById(tx, target.owner) : undefined;
      const alert = await alertsStore.get(tx, d.alert_id);
      return { target, owner, alert };
    });
    const { target, owner, alert } = found;
    const feature = alert ? toAlertFeature(alert) : null;
    if (
      !target?.active ||
      !owner ||
      owner.disabled ||
      !feature ||
      !canSee(toViewer(owner), feature.properties.marking)
    ) {
      await this.db.asSystem((tx) => store.drop(tx, d.id));
      return;
    }
    const body = JSON.stringify({
      event: 'alert.raised',
      deliveryId: d.id,
      alert: feature,
    } satisfies WebhookBody);
    let status: number | null = null;
    let error: string;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Concord-Webhook/1',
          'x-concord-event': 'alert.raised',
          'x-concord-delivery': d.id,
          'x-concord-signature': signature(target.secret, body),
        },
        body,
        // A redirect could send the signed alert elsewhere: it counts as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        await this.db.asSystem((tx) => store.delivered(tx, d.id, res.status));
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : 'could not connect';
    }
    const retryInMs = d.attempts <= this.backoff.length ? this.backoff[d.attempts - 1]! : null;
    if (retryInMs === null)
      this.log.warn({ delivery: d.id, webhook: d.webhook_id, error }, 'webhook delivery given up');
    await this.db.asSystem((tx) => store.failed(tx, d.id, { status, error, retryInMs }));
  }
}
