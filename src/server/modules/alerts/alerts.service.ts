import {
  ALERT_DEDUP_WINDOW_MS,
  ALERT_TRANSITIONS,
  type AlertAction,
  type AlertCounts,
  type AlertFeature,
  type AlertHistoryEntry,
  canTransition,
  HISTORY_KIND_OF,
} from '../../../domain/alert-status.js';
import {
  ALERT_STATUSES,
  ALERTS_LAYER,
  type AlertCandidate,
  type AlertStatus,
} from '../../../domain/alerts.js';
import type { BBox } from '../../../domain/geometry.js';
import { type aggregateMarking, canSee, type Marking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { markedCollection } from '../../platform/collections.js';
import { assertVersion, Problem, problems } from '../../platform/errors.js';
import { recordEvent, recordEvents } from '../../platform/events.js';
import { identitiesStore, toViewer } from '../identities/index.js';
import {
  candidateProblem,
  dedupBatch,
  toAlertFeature,
  toHistoryEntry,
  toNewAlert,
} from './alerts.features.js';
import { type AlertRow, type NewNotifiedSiteAlert, alertsStore as store } from './alerts.store.js';

export const MAX_LIST = 1000;
export const DEFAULT_LIST = 200;
/** What the live snapshot holds: what still needs someone, recent enough to be news. */
export const LIVE_WINDOW_MS = 24 * 3600_000;
const DEFAULT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged'];

export interface AlertsServiceOptions {
  dedupWindowMs?: number;
  /** Called after raise() committed new alerts (the webhook worker wakes up, incidents open). */
  onRaised?: (alerts: readonly AlertFeature[]) => void;
  log?: { warn(obj: unknown, msg: string): void };
}

export interface AlertListFilter {
  statuses?: readonly AlertStatus[];
  from?: Date;
  to?: Date;
  bbox?: BBox;
  zoneId?: string;
  trackUid?: string;
  limit?: number;
}

export interface AlertCollection {
  type: 'FeatureCollection';
  features: AlertFeature[];
  marking: ReturnType<typeof aggregateMarking>;
  markingText: string;
  truncated: boolean;
}

export type AlertWithHistory = AlertFeature & { actions: AlertHistoryEntry[] };

/** The same answer whether the user does not exist or may not see the alert: nothing more is revealed. */
const cannotAssign = (username: string) =>
  problems.badRequest(`The alert cannot be assigned to ${username}.`, { field: 'assignee' });

export function alertsService(db: Db, opts: AlertsServiceOptions = {}) {
  const windowMs = opts.dedupWindowMs ?? ALERT_DEDUP_WINDOW_MS;

  async function list(viewer: Viewer, f: AlertListFilter = {}): Promise<AlertCollection> {
    const limit = Math.min(f.limit ?? DEFAULT_LIST, MAX_LIST);
    const rows = await db.asViewer(viewer, (tx) =>
      store.list(tx, {
        statuses: f.statuses?.length ? f.statuses : DEFAULT_STATUSES,
        from: f.from,
        to: f.to,
        bbox: f.bbox,
        zoneId: f.zoneId,
        trackUid: f.trackUid,
        limit: limit + 1,
      }),
    );
    return markedCollection(rows.slice(0, limit).map(toAlertFeature), rows.length > limit);
  }

  /**
   * Runs one action as the viewer: the alert is locked (RLS: hidden is missing), its version and
   * status checked, changed, its timeline extended and an outbox event written, in one transaction.
   */
  function act(
    viewer: Viewer,
    id: string,
    expectedVersion: number,
    action: AlertAction,
    prepare: (
      tx: Tx,
      alert: AlertFeature,
    ) => Promise<{
      assignee?: string | null;
      assigneeId?: string | null;
      note?: string | null;
    }>,
  ): Promise<AlertFeature> {
    if (!hasPermission(viewer.roles, 'alerts:act'))
      throw problems.forbidden('Only admins, planners, monitors and analysts act on alerts.');
    return db.asViewer(viewer, async (tx) => {
      const locked = await store.lock(tx, id);
      if (!locked) throw problems.notFound(`Alert ${id}`);
      assertVersion(`Alert ${id}`, locked.version, expectedVersion, { status: locked.status });
      if (!canTransition(action, locked.status)) {
        throw new Problem(
          409,
          'invalid-transition',
          'Not possible in this status',
          `An alert that is ${locked.status} cannot be ${HISTORY_KIND_OF[action]}.`,
          { currentVersion: locked.version, status: locked.status },
        );
      }
      const before = toAlertFeature((await store.get(tx, id))!);
      const extra = await prepare(tx, before);
      const marking = before.properties.marking;
      const version = await store.update(tx, id, {
        status: ALERT_TRANSITIONS[action].to ?? locked.status,
        actor: viewer.userId,
        acknowledge: action === 'acknowledge',
        assignee: action === 'assign' ? (extra.assigneeId ?? null) : undefined,
        resolve: action === 'resolve' ? { note: extra.note ?? null } : undefined,
        reopen: action === 'reopen',
      });
      await store.addHistory(tx, {
        alertId: id,
        action: HISTORY_KIND_OF[action],
        actor: viewer.userId,
        assignee: extra.assigneeId ?? null,
        note: extra.note ?? null,
        version,
        ...markingToColumns(marking),
      });
      const after = toAlertFeature((await store.get(tx, id))!);
      await recordEvent(tx, {
        actor: viewer.userId,
        kind: 'upsert',
        layer: ALERTS_LAYER,
        entityId: id,
        payload: after,
        marking,
        prevMarking: marking,
      });
      return after;
    });
  }

  /**
   * New alerts are stored on the system pool with their upsert events in the same transaction (the
   * live layer hears of nothing that was not stored); then whoever follows alerts hears of them.
   */
  async function storeRaised(insert: (tx: Tx) => Promise<AlertRow[]>): Promise<AlertFeature[]> {
    const features = await db.asSystem(async (tx) => {
      const out = (await insert(tx)).map(toAlertFeature);
      await recordEvents(
        tx,
        out.map((f) => ({
          actor: null,
          kind: 'upsert' as const,
          layer: ALERTS_LAYER,
          entityId: f.id,
          payload: f,
          marking: f.properties.marking,
          prevMarking: null,
        })),
      );
      return out;
    });
    if (features.length) opts.onRaised?.(features);
    return features;
  }

  return {
    /**
     * Stores what the geofence engine raised, on the system pool: each candidate's marking was
     * derived from its track's and zone's. Repeats (same track, zone and trigger within the dedup
     * window of observation time, in the batch or stored) are dropped. One statement inserts the
     * alerts, their 'raised' entries and webhook deliveries; one outbox event per alert follows in
     * the same transaction. Returns the alerts stored, oldest first.
     */
    async raise(candidates: readonly AlertCandidate[]): Promise<AlertFeature[]> {
      const valid = candidates.filter((c) => {
        const why = candidateProblem(c);
        if (why) opts.log?.warn({ track: c.track?.uid, zone: c.zone?.id }, `alert candidate ${why}`);
        return !why;
      });
      const batch = dedupBatch(valid, windowMs);
      if (batch.length === 0) return [];
      return storeRaised((tx) => store.insertNew(tx, batch.map(toNewAlert), windowMs));
    },

    /**
     * Stores notified-site alerts (the aid module decides them and their markings), on the system
     * pool with their outbox events; a notification already alerted for the same source is skipped.
     */
    async raiseNotifiedSite(alerts: readonly NewNotifiedSiteAlert[]): Promise<AlertFeature[]> {
      if (alerts.length === 0) return [];
      return storeRaised((tx) => store.insertNotifiedSite(tx, alerts));
    },

    /** The notified-site alerts an incident raised, with their markings. */
    async notifiedSiteOfIncident(incidentId: string) {
      const rows = await db.asSystem((tx) => store.ofIncident(tx, incidentId));
      return rows.map((r) => ({ id: r.id, notificationId: r.notification_id, marking: columnsToMarking(r) }));
    },

    /**
     * Re-marks notified-site alerts whose source was re-marked: whoever gains the right to see
     * both records learns of the alert, whoever loses it is told it is gone (live delete).
     */
    async remarkNotifiedSite(changes: readonly { id: string; marking: Marking }[]): Promise<void> {
      if (changes.length === 0) return;
      await db.asSystem(async (tx) => {
        for (const c of changes) {
          const before = await store.get(tx, c.id);
          if (!before) continue;
          await store.remark(tx, c.id, markingToColumns(c.marking));
          const after = toAlertFeature((await store.get(tx, c.id))!);
          await recordEvent(tx, {
            actor: null,
            kind: 'upsert',
            layer: ALERTS_LAYER,
            entityId: c.id,
            payload: after,
            marking: after.properties.marking,
            prevMarking: columnsToMarking(before),
          });
        }
      });
    },

    /** The notified-site alerts of a notification that the viewer may see (RLS), newest first. */
    async ofNotification(viewer: Viewer, notificationId: string): Promise<AlertFeature[]> {
      const rows = await db.asViewer(viewer, (tx) => store.ofNotification(tx, notificationId));
      return rows.map(toAlertFeature);
    },

    list,

    async counts(viewer: Viewer): Promise<AlertCounts> {
      const rows = await db.asViewer(viewer, (tx) => store.counts(tx));
      const out: AlertCounts = {
        open: 0,
        acknowledged: 0,
        resolved: 0,
        openBySeverity: { info: 0, warning: 0, critical: 0 },
      };
      for (const r of rows) {
        if (!ALERT_STATUSES.includes(r.status)) continue;
        out[r.status] += r.n;
        if (r.status === 'open' && r.severity in out.openBySeverity) out.openBySeverity[r.severity] += r.n;
      }
      return out;
    },

    async get(viewer: Viewer, id: string): Promise<AlertWithHistory> {
      const found = await db.asViewer(viewer, async (tx) => {
        const row = await store.get(tx, id);
        return row ? { row, history: await store.history(tx, id) } : null;
      });
      if (!found) throw problems.notFound(`Alert ${id}`);
      return { ...toAlertFeature(found.row), actions: found.history.map(toHistoryEntry) };
    },

    /** The live snapshot: open and acknowledged alerts of the last 24 hours the viewer may see. */
    async snapshot(viewer: Viewer, bbox: BBox | undefined): Promise<AlertFeature[]> {
      const fc = await list(viewer, {
        statuses: DEFAULT_STATUSES,
        from: new Date(Date.now() - LIVE_WINDOW_MS),
        bbox,
        limit: MAX_LIST,
      });
      return fc.features;
    },

    acknowledge(viewer: Viewer, id: string, version: number): Promise<AlertFeature> {
      return act(viewer, id, version, 'acknowledge', async () => ({}));
    },

    /** Assigns to a user who exists and may see the alert, or to nobody (null). */
    assign(viewer: Viewer, id: string, version: number, assignee: string | null): Promise<AlertFeature> {
      return act(viewer, id, version, 'assign', async (tx, alert) => {
        if (assignee === null) return { assigneeId: null };
        const user = await identitiesStore.findUserByName(tx, assignee.toLowerCase());
        if (!user || user.disabled || !canSee(toViewer(user), alert.properties.marking))
          throw cannotAssign(assignee);
        return { assigneeId: user.id };
      });
    },

    resolve(viewer: Viewer, id: string, version: number, note?: string | null): Promise<AlertFeature> {
      return act(viewer, id, version, 'resolve', async () => ({ note: note?.trim() || null }));
    },

    reopen(viewer: Viewer, id: string, version: number): Promise<AlertFeature> {
      return act(viewer, id, version, 'reopen', async () => ({}));
    },

    /** Who the alert may be assigned to: active users who may see it and may act on alerts. */
    async assignees(viewer: Viewer, id: string) {
      if (!hasPermission(viewer.roles, 'alerts:act'))
        throw problems.forbidden('Only admins, planners, monitors and analysts act on alerts.');
      const { alert, users } = await db.asViewer(viewer, async (tx) => ({
        alert: await store.get(tx, id),
        users: await identitiesStore.listUsers(tx),
      }));
      if (!alert) throw problems.notFound(`Alert ${id}`);
      const marking = toAlertFeature(alert).properties.marking;
      return users
        .filter((u) => !u.disabled && hasPermission(u.roles, 'alerts:act') && canSee(toViewer(u), marking))
        .map((u) => ({
          username: u.username,
          displayName: u.display_name,
          organisation: u.organisation_code,
        }))
        .sort((a, b) => a.username.localeCompare(b.username));
    },
  };
}
export type AlertsService = ReturnType<typeof alertsService>;
