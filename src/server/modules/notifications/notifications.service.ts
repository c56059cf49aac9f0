import {
  answerDueAt,
  DEFAULT_PARTIES,
  leadTimeWarning,
  NOTIFICATION_GEOMETRY,
  NOTIFICATION_TRANSITIONS,
  NOTIFICATIONS_LAYER,
  type NotificationAction,
  type NotificationDetail,
  type NotificationFeature,
  type NotificationInput,
  type NotificationKind,
  type NotificationPriority,
  type NotificationState,
  notificationRefusal,
  PARTY_ANSWERS,
  partiesHiddenByMarking,
  stateAfterAnswer,
} from '../../../domain/deconfliction.js';
import { bboxOf, type Geometry, validateGeometry } from '../../../domain/geometry.js';
import { canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { markedCollection } from '../../platform/collections.js';
import { assertVersion, Problem, problems } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import type { AlertsService } from '../alerts/index.js';
import { facilitiesService } from '../facilities/index.js';
import { actorContext, toHistoryEntry, toNotificationFeature, toWorkflow } from './notifications.features.js';
import {
  type NotificationFilter,
  type NotificationRow,
  notificationsStore as store,
} from './notifications.store.js';

export const DEFAULT_LIST = 500;
export const MAX_LIST = 2000;

export interface NotificationCollection {
  type: 'FeatureCollection';
  features: NotificationFeature[];
  marking: Marking;
  markingText: string;
  truncated: boolean;
}

export interface NotificationListFilter {
  states?: readonly NotificationState[];
  kinds?: readonly NotificationKind[];
  overdue?: boolean;
  /** Only the viewer's organisation's notifications. */
  mine?: boolean;
  limit?: number;
}

export interface NotificationActionInput {
  action: NotificationAction;
  version: number;
  reason?: string;
  delayMinutes?: number;
}

const notificationNotFound = (id: string) => problems.notFound(`Notification ${id}`);

/** Everything wrong with the input that the schema cannot say; throws the first as a 400. */
function validated(input: NotificationInput) {
  const g = validateGeometry(input.geometry, NOTIFICATION_GEOMETRY[input.kind]);
  if (!g.ok) {
    const first = g.problems[0]!;
    const what =
      input.kind === 'movement'
        ? 'a movement is notified by its route (LineString)'
        : 'a static site is a Point or a Polygon';
    throw problems.invalidGeometry(`${first.path} ${first.message}: ${what}.`, g.problems);
  }
  const windowStart = new Date(input.windowStart);
  const windowEnd = input.windowEnd ? new Date(input.windowEnd) : null;
  if (Number.isNaN(windowStart.getTime()))
    throw problems.badRequest(`windowStart is not a time Concord can use: ${input.windowStart}`);
  if (windowEnd && Number.isNaN(windowEnd.getTime()))
    throw problems.badRequest(`windowEnd is not a time Concord can use: ${input.windowEnd}`);
  if (windowEnd && windowEnd <= windowStart)
    throw problems.badRequest('windowEnd must be after windowStart.', { field: 'windowEnd' });
  const parties = [...new Set(input.parties ?? DEFAULT_PARTIES)];
  const hidden = partiesHiddenByMarking(input.marking, parties);
  if (hidden.length)
    throw new Problem(
      400,
      'marking-excludes-party',
      'Marking hides the notification from a party',
      `The marking ${formatMarking(input.marking)} is not releasable to ${hidden.join(', ')}: their liaison could not see or answer it. Add ${hidden.join(', ')} (or ALL) to releasableTo.`,
      { field: 'marking.releasableTo', parties: hidden },
    );
  return { geometry: g.geometry, windowStart, windowEnd, parties };
}

/**
 * Who hears of a notification live: until its organisation submits it, that organisation alone,
 * as the database's policy has it (migration 0012); then whoever its marking releases it to.
 */
function announcedMarking(row: NotificationRow): Marking {
  const marking = columnsToMarking(row);
  return row.submitted_at ? marking : { ...marking, releasableTo: [row.organisation_code] };
}

export function notificationsService(db: Db, alerts: Pick<AlertsService, 'ofNotification'>) {
  const facilities = facilitiesService(db);

  async function list(viewer: Viewer, f: NotificationListFilter & { awaitingParty?: string } = {}) {
    const limit = Math.min(f.limit ?? DEFAULT_LIST, MAX_LIST);
    const filter: NotificationFilter = {
      states: f.states,
      kinds: f.kinds,
      overdue: f.overdue,
      organisationId: f.mine ? viewer.organisationId : undefined,
      awaitingParty: f.awaitingParty,
      limit: limit + 1,
    };
    const rows = await db.asViewer(viewer, (tx) => store.list(tx, filter));
    const now = new Date();
    return markedCollection(
      rows.slice(0, limit).map((r) => toNotificationFeature(r, viewer, now)),
      rows.length > limit,
    );
  }

  /** `before`: the row as it was, when it changed (its announcement decides who is told it is gone). */
  async function publish(tx: Tx, actor: string, id: string, before: NotificationRow | null) {
    const row = (await store.get(tx, id))!;
    await recordEvent(tx, {
      actor,
      kind: 'upsert',
      layer: NOTIFICATIONS_LAYER,
      entityId: id,
      payload: toNotificationFeature(row),
      marking: announcedMarking(row),
      prevMarking: before ? announcedMarking(before) : null,
    });
    return row;
  }

  return {
    list,

    /** The party liaison's queue: awaiting their party's answer, soonest due first. */
    async queue(viewer: Viewer, limit?: number): Promise<NotificationCollection> {
      if (!hasPermission(viewer.roles, 'aid:answer') || !viewer.nation)
        throw problems.forbidden('The queue is for the liaison officers of a party.');
      return list(viewer, { awaitingParty: viewer.nation, limit });
    },

    async get(viewer: Viewer, id: string): Promise<NotificationDetail> {
      const found = await db.asViewer(viewer, async (tx) => {
        const row = await store.get(tx, id);
        return row ? { row, history: await store.history(tx, id) } : null;
      });
      if (!found) throw notificationNotFound(id);
      const org = found.row.organisation_code;
      const linked = await alerts.ofNotification(viewer, id);
      return {
        feature: toNotificationFeature(found.row, viewer),
        history: found.history.map(toHistoryEntry),
        correlations: linked.map((a) => {
          const p = a.properties;
          return {
            alertId: a.id,
            incidentId: p.incidentId,
            sourceAlertId: p.sourceAlertId,
            distanceM: p.distanceM,
            at: p.at,
            summary: p.summary,
            status: p.status,
            markingText: p.markingText,
            releasedToOrganisation: p.marking.releasableTo.some((x) => x === 'ALL' || x === org),
          };
        }),
      };
    },

    /** A draft: nothing is told to anyone until it is submitted. */
    async create(viewer: Viewer, input: NotificationInput): Promise<NotificationDetail> {
      if (!hasPermission(viewer.roles, 'aid:notify'))
        throw problems.forbidden('Only humanitarian organisations notify sites and movements.');
      const v = validated(input);
      if (!canWrite(viewer, input.marking))
        throw problems.forbidden(
          `You may only write records at or below your clearance (${viewer.clearance}) and released to your nation or organisation (${viewer.principals.join(', ')}); ${formatMarking(input.marking)} is not.`,
        );
      if (input.facilityId) {
        // Not found and not released read the same: the facility must be one the viewer sees.
        await facilities.get(viewer, input.facilityId).catch(() => {
          throw problems.badRequest(
            `Facility ${input.facilityId} does not exist or is not released to you.`,
            {
              field: 'facilityId',
            },
          );
        });
      }
      const m = markingToColumns(input.marking);
      const id = await db.asViewer(viewer, async (tx) => {
        const id = await store.insert(tx, {
          kind: input.kind,
          title: input.title.trim(),
          priority: input.priority,
          noticeOnly: input.noticeOnly,
          organisationId: viewer.organisationId,
          geometry: v.geometry,
          bbox: bboxOf(v.geometry as Geometry),
          facilityId: input.facilityId ?? null,
          windowStart: v.windowStart,
          windowEnd: v.windowEnd,
          vehicles: input.vehicles ?? null,
          personnel: input.personnel ?? null,
          parties: v.parties,
          details: input.details?.trim() || null,
          createdBy: viewer.userId,
          ...m,
        });
        await store.addAction(tx, {
          notificationId: id,
          action: 'created',
          fromState: null,
          toState: 'draft',
          party: null,
          answer: null,
          reason: null,
          delayMinutes: null,
          actor: viewer.userId,
          version: 1,
          ...m,
        });
        await publish(tx, viewer.userId, id, null);
        return id;
      });
      return this.get(viewer, id);
    },

    /**
     * One step of the workflow: the version must be the one the client saw (409), the step allowed
     * from the state and to this person (409/403 with the reason), its fields given (400).
     */
    async act(viewer: Viewer, id: string, input: NotificationActionInput): Promise<NotificationDetail> {
      const t = NOTIFICATION_TRANSITIONS[input.action];
      const reason = input.reason?.trim() || null;
      await db.asViewer(viewer, async (tx) => {
        const locked = await store.lock(tx, id);
        if (!locked) throw notificationNotFound(id);
        assertVersion(`Notification ${id}`, locked.version, input.version, { state: locked.state });
        const row = (await store.get(tx, id))!;
        const refusal = notificationRefusal(input.action, toWorkflow(row), actorContext(viewer));
        if (refusal) {
          const extra = { currentVersion: row.version, state: row.state };
          throw refusal.code === 'invalid-transition'
            ? new Problem(409, 'invalid-transition', 'Not possible in this state', refusal.message, extra)
            : new Problem(403, 'forbidden', 'Forbidden', refusal.message, extra);
        }
        if (t.requires.includes('reason') && !reason)
          throw problems.badRequest(`${input.action} needs a reason.`, { field: 'reason' });
        if (t.requires.includes('delayMinutes') && input.delayMinutes === undefined)
          throw problems.badRequest(`${input.action} needs delayMinutes.`, { field: 'delayMinutes' });
        const now = new Date();
        const priority = row.priority as NotificationPriority;
        // A party's answer moves the notification on only once every party told has answered.
        const answer = PARTY_ANSWERS.includes(input.action) ? t.to : null;
        const to =
          answer && viewer.nation
            ? stateAfterAnswer(
                row.parties,
                (row.party_answers ?? {}) as Record<string, NotificationState>,
                viewer.nation,
                answer,
              )
            : t.to;
        const version = await store.update(tx, id, {
          state: to,
          submitted:
            input.action === 'submit'
              ? { leadTimeWarning: leadTimeWarning(priority, now, row.window_start) }
              : undefined,
          transmitted:
            input.action === 'transmit'
              ? { answerDueAt: answerDueAt(priority, now, row.window_start) }
              : undefined,
          delayMinutes: input.action === 'report-impediment' ? input.delayMinutes : undefined,
        });
        const m = {
          classification: row.classification,
          releasable_to: row.releasable_to,
          caveats: row.caveats,
        };
        await store.addAction(tx, {
          notificationId: id,
          action: input.action,
          fromState: row.state,
          toState: to,
          party: t.actor === 'party' ? viewer.nation : null,
          answer,
          reason,
          delayMinutes: input.action === 'report-impediment' ? (input.delayMinutes ?? null) : null,
          actor: viewer.userId,
          version,
          ...m,
        });
        await publish(tx, viewer.userId, id, row);
      });
      return this.get(viewer, id);
    },

    /** The live layer's snapshot: what is not finished. */
    async snapshot(viewer: Viewer): Promise<NotificationFeature[]> {
      const fc = await list(viewer, { limit: MAX_LIST });
      return fc.features.map((f) => {
        const { allowedActions: _a, ...properties } = f.properties;
        return { ...f, properties };
      });
    },
  };
}
export type NotificationsService = ReturnType<typeof notificationsService>;
