import {
  allowedNotificationActions,
  isOverdue,
  NOTICE_ONLY_TEXT,
  type NotificationAction,
  type NotificationActorContext,
  type NotificationFeature,
  type NotificationHistoryEntry,
  type NotificationKind,
  type NotificationPriority,
  type NotificationState,
  notificationNumber,
  type WorkflowNotification,
} from '../../../domain/deconfliction.js';
import { formatMarking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import type { ActionRow, NotificationRow } from './notifications.store.js';

/** Rows to the wire: no I/O here. */

export function actorContext(viewer: Viewer): NotificationActorContext {
  return { roles: viewer.roles, organisationCode: viewer.organisationCode, nation: viewer.nation };
}

export function toWorkflow(r: NotificationRow): WorkflowNotification {
  return {
    state: r.state as NotificationState,
    organisationCode: r.organisation_code,
    parties: r.parties,
    answeredParties: Object.keys(r.party_answers ?? {}),
  };
}

/** With a viewer, the feature carries what they may do; without, it is the live payload for everyone. */
export function toNotificationFeature(
  r: NotificationRow,
  viewer?: Viewer,
  now = new Date(),
): NotificationFeature {
  const marking = columnsToMarking(r);
  const state = r.state as NotificationState;
  return {
    type: 'Feature',
    id: r.id,
    geometry: r.geometry,
    properties: {
      id: r.id,
      number: notificationNumber(r.number),
      kind: r.kind as NotificationKind,
      title: r.title,
      priority: r.priority as NotificationPriority,
      noticeOnly: r.notice_only,
      noticeText: r.notice_only ? NOTICE_ONLY_TEXT : null,
      organisation: r.organisation_code,
      facilityId: r.facility_id,
      windowStart: r.window_start.toISOString(),
      windowEnd: r.window_end?.toISOString() ?? null,
      vehicles: r.vehicles,
      personnel: r.personnel,
      parties: r.parties,
      partyAnswers: (r.party_answers ?? {}) as Record<string, NotificationState>,
      details: r.details,
      state,
      leadTimeWarning: r.lead_time_warning,
      submittedAt: r.submitted_at?.toISOString() ?? null,
      transmittedAt: r.transmitted_at?.toISOString() ?? null,
      answerDueAt: r.answer_due_at?.toISOString() ?? null,
      overdue: isOverdue(state, r.answer_due_at, now),
      delayMinutes: r.delay_minutes,
      createdBy: r.created_by_name,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
      marking,
      markingText: formatMarking(marking),
      ...(viewer ? { allowedActions: allowedNotificationActions(toWorkflow(r), actorContext(viewer)) } : {}),
    },
  };
}

export function toHistoryEntry(r: ActionRow): NotificationHistoryEntry {
  return {
    action: r.action as NotificationAction | 'created',
    fromState: r.from_state as NotificationState | null,
    toState: r.to_state as NotificationState,
    party: r.party,
    answer: r.answer as NotificationState | null,
    reason: r.reason,
    delayMinutes: r.delay_minutes,
    actor: r.actor,
    actorName: r.actor_name,
    at: r.at.toISOString(),
    version: r.version,
  };
}
