import { type Static, Type } from 'typebox';
import { type Marking, MarkingSchema } from './marking.js';
import { hasPermission, type Permission } from './roles.js';

/**
 * Deconfliction notifications: a humanitarian organisation tells the parties' militaries of a
 * static site or a movement so that it is not struck. The centre transmits it; each party's
 * liaison answers from their own queue.
 */

export const NOTIFICATIONS_LAYER = 'notifications';

export const NOTIFICATION_KINDS = ['static-site', 'movement'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATES = [
  'draft',
  'submitted',
  'transmitted',
  'acknowledged',
  'facilitated',
  'partially-facilitated',
  'denied',
  'postponed',
  'cancelled',
  'en-route',
  'impeded',
  'completed',
] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

export const NOTIFICATION_ACTIONS = [
  'submit',
  'transmit',
  'acknowledge',
  'facilitate',
  'partially-facilitate',
  'deny',
  'postpone',
  'cancel',
  'depart',
  'report-impediment',
  'resume',
  'complete',
] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];

/**
 * Who acts: the notifying `organisation` (the notification's own organisation), the `centre`
 * (CMCC staff who transmit), or a `party` liaison (answers for their own party only).
 */
export type NotificationActor = 'organisation' | 'centre' | 'party';

export interface NotificationTransition {
  from: readonly NotificationState[];
  to: NotificationState;
  actor: NotificationActor;
  permission: Permission;
  /** Fields the action needs besides the version. */
  requires: readonly ('reason' | 'delayMinutes')[];
}

const ANSWERABLE: readonly NotificationState[] = ['transmitted', 'acknowledged'];

export const NOTIFICATION_TRANSITIONS: Record<NotificationAction, NotificationTransition> = {
  submit: { from: ['draft'], to: 'submitted', actor: 'organisation', permission: 'aid:notify', requires: [] },
  transmit: {
    from: ['submitted'],
    to: 'transmitted',
    actor: 'centre',
    permission: 'aid:coordinate',
    requires: [],
  },
  acknowledge: {
    from: ['transmitted'],
    to: 'acknowledged',
    actor: 'party',
    permission: 'aid:answer',
    requires: [],
  },
  facilitate: { from: ANSWERABLE, to: 'facilitated', actor: 'party', permission: 'aid:answer', requires: [] },
  'partially-facilitate': {
    from: ANSWERABLE,
    to: 'partially-facilitated',
    actor: 'party',
    permission: 'aid:answer',
    requires: ['reason'],
  },
  deny: { from: ANSWERABLE, to: 'denied', actor: 'party', permission: 'aid:answer', requires: ['reason'] },
  postpone: {
    from: ANSWERABLE,
    to: 'postponed',
    actor: 'party',
    permission: 'aid:answer',
    requires: ['reason'],
  },
  cancel: {
    from: [
      'draft',
      'submitted',
      'transmitted',
      'acknowledged',
      'facilitated',
      'partially-facilitated',
      'postponed',
    ],
    to: 'cancelled',
    actor: 'organisation',
    permission: 'aid:notify',
    requires: [],
  },
  depart: {
    from: ['facilitated', 'partially-facilitated'],
    to: 'en-route',
    actor: 'organisation',
    permission: 'aid:notify',
    requires: [],
  },
  'report-impediment': {
    from: ['en-route'],
    to: 'impeded',
    actor: 'organisation',
    permission: 'aid:notify',
    requires: ['reason', 'delayMinutes'],
  },
  resume: {
    from: ['impeded'],
    to: 'en-route',
    actor: 'organisation',
    permission: 'aid:notify',
    requires: [],
  },
  complete: {
    from: ['en-route', 'impeded', 'facilitated', 'partially-facilitated'],
    to: 'completed',
    actor: 'organisation',
    permission: 'aid:notify',
    requires: [],
  },
};

/** Lead time asked before the start of the window: 48 h, 24 h for an emergency. */
export const LEAD_TIME_HOURS = { routine: 48, emergency: 24 } as const;
export type NotificationPriority = keyof typeof LEAD_TIME_HOURS;

/** A warning (never a refusal) when the notice is shorter than the rule asks. */
export function leadTimeWarning(
  priority: NotificationPriority,
  submittedAt: Date,
  windowStart: Date,
): string | null {
  const hours = (windowStart.getTime() - submittedAt.getTime()) / 3_600_000;
  const needed = LEAD_TIME_HOURS[priority];
  if (hours >= needed) return null;
  return `Notified ${Math.max(0, Math.floor(hours))} h before the start; ${priority} notifications ask for ${needed} h.`;
}

/** When the liaison's answer is due: half the lead time after transmission, and never after the start. */
export function answerDueAt(priority: NotificationPriority, transmittedAt: Date, windowStart: Date): Date {
  const due = transmittedAt.getTime() + (LEAD_TIME_HOURS[priority] / 2) * 3_600_000;
  return new Date(Math.min(due, windowStart.getTime()));
}

export function isOverdue(state: NotificationState, dueAt: Date | null, now: Date): boolean {
  return dueAt !== null && ANSWERABLE.includes(state) && now.getTime() > dueAt.getTime();
}

export interface NotificationActorContext {
  roles: readonly string[];
  organisationCode: string;
  nation: string | null;
}

export interface WorkflowNotification {
  state: NotificationState;
  organisationCode: string;
  /** The parties whose liaisons answer (ISO alpha-3). */
  parties: readonly string[];
  /** The parties that have already given their answer (facilitate, deny…); each answers once. */
  answeredParties?: readonly string[];
}

/** A party's answer: each party told gives one; the notification moves on when all have. */
export const PARTY_ANSWERS: readonly NotificationAction[] = [
  'facilitate',
  'partially-facilitate',
  'deny',
  'postpone',
];

/**
 * The notification's state once every party has answered: the least favourable answer wins
 * (one party's denial means the movement is not deconflicted, whatever the other said).
 */
export function combinedAnswer(answers: readonly NotificationState[]): NotificationState {
  for (const s of ['denied', 'postponed', 'partially-facilitated'] as const)
    if (answers.includes(s)) return s;
  return 'facilitated';
}

/**
 * The state after a party's answer: the combined answer when it was the last party to answer,
 * else acknowledged (someone has answered, others are still awaited).
 */
export function stateAfterAnswer(
  parties: readonly string[],
  earlier: Readonly<Record<string, NotificationState>>,
  party: string,
  answer: NotificationState,
): NotificationState {
  const all = { ...earlier, [party]: answer };
  if (!parties.every((p) => p in all)) return 'acknowledged';
  return combinedAnswer(parties.map((p) => all[p]!));
}

/** Why this person may not take this action now, or null when they may. */
export function notificationRefusal(
  action: NotificationAction,
  n: WorkflowNotification,
  who: NotificationActorContext,
): { code: 'invalid-transition' | 'forbidden'; message: string } | null {
  const t = NOTIFICATION_TRANSITIONS[action];
  if (!t.from.includes(n.state))
    return { code: 'invalid-transition', message: `A ${n.state} notification cannot ${action}.` };
  if (!hasPermission(who.roles, t.permission))
    return { code: 'forbidden', message: `Your role may not ${action}.` };
  if (
    t.actor === 'organisation' &&
    who.organisationCode !== n.organisationCode &&
    !who.roles.includes('admin')
  )
    return { code: 'forbidden', message: 'Only the notifying organisation may do this.' };
  if (t.actor === 'party' && !(who.nation !== null && n.parties.includes(who.nation)))
    return {
      code: 'forbidden',
      message: 'Only a liaison of a party this notification was sent to may answer it.',
    };
  if (t.actor === 'party' && who.nation !== null && n.answeredParties?.includes(who.nation))
    return { code: 'invalid-transition', message: `${who.nation} has already answered this notification.` };
  return null;
}

export function allowedNotificationActions(
  n: WorkflowNotification,
  who: NotificationActorContext,
): NotificationAction[] {
  return NOTIFICATION_ACTIONS.filter((a) => notificationRefusal(a, n, who) === null);
}

const Iso = Type.String({ format: 'date-time' });

export const NotificationInputSchema = Type.Object(
  {
    kind: Type.Enum(NOTIFICATION_KINDS),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    priority: Type.Enum(['routine', 'emergency'] as const),
    /** True: this is notice, not a request for permission. */
    noticeOnly: Type.Boolean(),
    /** static-site: a Point or Polygon; movement: the route as a LineString. */
    geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
    facilityId: Type.Optional(Type.String({ format: 'uuid' })),
    windowStart: Iso,
    windowEnd: Type.Optional(Iso),
    vehicles: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    personnel: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    /** The parties whose militaries are told (default: every party). */
    parties: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{3}$' }), { minItems: 1, maxItems: 8 })),
    details: Type.Optional(Type.String({ maxLength: 4000 })),
    marking: MarkingSchema,
  },
  { additionalProperties: false },
);
export type NotificationInput = Static<typeof NotificationInputSchema>;

/** Which geometries each kind takes: a site is a point or an area, a movement its route. */
export const NOTIFICATION_GEOMETRY: Record<
  NotificationKind,
  readonly ('Point' | 'Polygon' | 'LineString')[]
> = {
  'static-site': ['Point', 'Polygon'],
  movement: ['LineString'],
};

/** What the UI shows for a notification the organisation marked as notice only. */
export const NOTICE_ONLY_TEXT = 'Notice, not a request for permission.';

/**
 * States in which a notified static site counts as notified for correlation (within its window):
 * from submission on, except what was withdrawn or refused.
 */
export const NOTIFIED_SITE_STATES: readonly NotificationState[] = NOTIFICATION_STATES.filter(
  (s) => s !== 'draft' && s !== 'cancelled' && s !== 'denied',
);
/** States in which a movement is on the road: its route counts for correlation. */
export const ON_THE_ROAD_STATES: readonly NotificationState[] = ['en-route', 'impeded'];

/** The parties a marking would hide the notification from: their liaisons could not answer it. */
export function partiesHiddenByMarking(
  marking: { releasableTo: readonly string[] },
  parties: readonly string[],
): string[] {
  if (marking.releasableTo.includes('ALL')) return [];
  return parties.filter((p) => !marking.releasableTo.includes(p));
}

export const DEFAULT_PARTIES = ['ISR', 'PSE'] as const;

/** `NTF-000042`: what people quote. */
export function notificationNumber(n: number | string): string {
  return `NTF-${String(n).padStart(6, '0')}`;
}

export interface NotificationProperties {
  id: string;
  number: string;
  kind: NotificationKind;
  title: string;
  priority: NotificationPriority;
  noticeOnly: boolean;
  /** NOTICE_ONLY_TEXT when noticeOnly, else null. */
  noticeText: string | null;
  /** The notifying organisation's code. */
  organisation: string;
  facilityId: string | null;
  windowStart: string;
  windowEnd: string | null;
  vehicles: number | null;
  personnel: number | null;
  parties: string[];
  /** Each party's answer so far (facilitated, denied…); a party absent has not answered. */
  partyAnswers: Record<string, NotificationState>;
  details: string | null;
  state: NotificationState;
  leadTimeWarning: string | null;
  submittedAt: string | null;
  transmittedAt: string | null;
  answerDueAt: string | null;
  overdue: boolean;
  delayMinutes: number | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  marking: Marking;
  markingText: string;
  /** What the viewer may do now (absent from live payloads: they are the same for everyone). */
  allowedActions?: NotificationAction[];
}

export interface NotificationFeature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown[] };
  properties: NotificationProperties;
}

/** One answer or transition in a notification's history. */
export interface NotificationHistoryEntry {
  action: NotificationAction | 'created';
  fromState: NotificationState | null;
  toState: NotificationState;
  /** The party a liaison answered for. */
  party: string | null;
  /** A party's answer (the state it asked for); the notification's own state may await other parties. */
  answer: NotificationState | null;
  reason: string | null;
  delayMinutes: number | null;
  /** Username; null for the system. */
  actor: string | null;
  actorName: string | null;
  at: string;
  version: number;
}

/** A "notified site affected" alert of this notification, as far as the viewer may see it. */
export interface NotificationCorrelation {
  alertId: string;
  incidentId: string | null;
  sourceAlertId: string | null;
  distanceM: number | null;
  at: string;
  summary: string;
  status: string;
  markingText: string;
  /** Whether the alert is released to the notifying organisation (else the centre must tell them). */
  releasedToOrganisation: boolean;
}

export interface NotificationDetail {
  feature: NotificationFeature;
  history: NotificationHistoryEntry[];
  correlations: NotificationCorrelation[];
}
