import { type Marking, RELEASABLE_TO_ALL } from './marking.js';
import { hasPermission, type Permission } from './roles.js';

/**
 * The life of an incident: the status machine the server enforces and the web renders.
 * received → triaged → under-verification → peer-review → assessed → parties-notified →
 * response-received → closed; merge as duplicate; reopen.
 */

export const INCIDENT_STATUSES = [
  'received',
  'triaged',
  'under-verification',
  'peer-review',
  'assessed',
  'parties-notified',
  'response-received',
  'closed',
  'merged',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  received: 'Received',
  triaged: 'Triaged',
  'under-verification': 'Under verification',
  'peer-review': 'Peer review',
  assessed: 'Assessed',
  'parties-notified': 'Parties notified',
  'response-received': 'Response received',
  closed: 'Closed',
  merged: 'Merged (duplicate)',
};

/** Statuses from which nothing moves on but a reopen. */
export const TERMINAL_STATUSES: readonly IncidentStatus[] = ['closed', 'merged'];

export const INCIDENT_ACTIONS = [
  'triage',
  'start-verification',
  'submit-for-review',
  'approve',
  'return',
  'notify-parties',
  'record-response',
  'close',
  'merge',
  'reopen',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** What an action needs in its request besides the version. */
export type ActionField = 'note' | 'duplicateOf' | 'response' | 'assessment';

/**
 * Who, beyond the permission, may act:
 * - `analyst`: only the incident's analyst (who took it into verification);
 * - `not-analyst`: anyone but the analyst (four-eyes: the reviewer is never the analyst);
 * - `party`: a party liaison of the alleging or accused party, or anyone else holding the permission.
 */
export type ActorRule = 'any' | 'analyst' | 'not-analyst' | 'party';

export interface IncidentTransition {
  from: readonly IncidentStatus[];
  to: IncidentStatus;
  permission: Permission;
  actor: ActorRule;
  requires: readonly ActionField[];
}

const OPEN: readonly IncidentStatus[] = INCIDENT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export const INCIDENT_TRANSITIONS: Record<IncidentAction, IncidentTransition> = {
  triage: { from: ['received'], to: 'triaged', permission: 'incidents:triage', actor: 'any', requires: [] },
  // Taking it into verification makes the actor its analyst.
  'start-verification': {
    from: ['triaged'],
    to: 'under-verification',
    permission: 'incidents:assess',
    actor: 'any',
    requires: [],
  },
  'submit-for-review': {
    from: ['under-verification'],
    to: 'peer-review',
    permission: 'incidents:assess',
    actor: 'analyst',
    requires: ['assessment'],
  },
  // The reviewer may approve or return the assessment, never edit it.
  approve: {
    from: ['peer-review'],
    to: 'assessed',
    permission: 'incidents:review',
    actor: 'not-analyst',
    requires: [],
  },
  return: {
    from: ['peer-review'],
    to: 'under-verification',
    permission: 'incidents:review',
    actor: 'not-analyst',
    requires: ['note'],
  },
  'notify-parties': {
    from: ['assessed'],
    to: 'parties-notified',
    permission: 'incidents:triage',
    actor: 'any',
    requires: [],
  },
  'record-response': {
    from: ['parties-notified', 'response-received'],
    to: 'response-received',
    permission: 'incidents:respond',
    actor: 'party',
    requires: ['response'],
  },
  close: {
    from: ['assessed', 'parties-notified', 'response-received'],
    to: 'closed',
    permission: 'incidents:triage',
    actor: 'any',
    requires: [],
  },
  merge: {
    from: OPEN,
    to: 'merged',
    permission: 'incidents:triage',
    actor: 'any',
    requires: ['duplicateOf'],
  },
  reopen: {
    from: ['closed'],
    to: 'triaged',
    permission: 'incidents:triage',
    actor: 'any',
    requires: ['note'],
  },
};

/** What the workflow needs to know about the incident. */
export interface WorkflowIncident {
  status: IncidentStatus;
  /** User id of the analyst, once someone took it into verification. */
  analystId: string | null;
  allegingParty: string | null;
  accusedParty: string;
  notifiedParties: readonly string[];
}

/** What the workflow needs to know about the person acting. */
export interface WorkflowActor {
  userId: string;
  roles: readonly string[];
  nation: string | null;
}

export type Refusal =
  | { code: 'invalid-transition'; message: string }
  | { code: 'forbidden'; message: string }
  | { code: 'four-eyes'; message: string };

/** Why this actor may not take this action on this incident now, or null when they may. */
export function refusalOf(
  action: IncidentAction,
  incident: WorkflowIncident,
  actor: WorkflowActor,
): Refusal | null {
  const t = INCIDENT_TRANSITIONS[action];
  if (!t.from.includes(incident.status)) {
    return {
      code: 'invalid-transition',
      message: `An incident that is ${STATUS_LABELS[incident.status].toLowerCase()} cannot be sent to ${action}.`,
    };
  }
  if (!hasPermission(actor.roles, t.permission)) {
    return { code: 'forbidden', message: `Your role may not ${action.replace(/-/g, ' ')} incidents.` };
  }
  if (t.actor === 'analyst' && incident.analystId !== actor.userId) {
    return { code: 'forbidden', message: 'Only the analyst of this incident may do this.' };
  }
  if (t.actor === 'not-analyst' && incident.analystId === actor.userId) {
    return { code: 'four-eyes', message: 'The reviewer must not be the analyst who made the assessment.' };
  }
  if (t.actor === 'party' && actor.roles.includes('party-liaison') && !actor.roles.includes('admin')) {
    const own = actor.nation !== null && incident.notifiedParties.includes(actor.nation);
    if (!own) return { code: 'forbidden', message: 'Only a liaison of a notified party may answer for it.' };
  }
  return null;
}

export function canAct(action: IncidentAction, incident: WorkflowIncident, actor: WorkflowActor): boolean {
  return refusalOf(action, incident, actor) === null;
}

/** The actions this actor may take now, in the order the web shows them. */
export function allowedIncidentActions(incident: WorkflowIncident, actor: WorkflowActor): IncidentAction[] {
  return INCIDENT_ACTIONS.filter((a) => canAct(a, incident, actor));
}

/** The assessment may be edited only by its analyst while the incident is under verification. */
export function canEditAssessment(incident: WorkflowIncident, actor: WorkflowActor): boolean {
  return (
    incident.status === 'under-verification' &&
    incident.analystId === actor.userId &&
    hasPermission(actor.roles, 'incidents:assess')
  );
}

/**
 * Party liaisons see the finding only once the parties are told: before that it is the centre's
 * work in progress.
 */
export function mayReadFinding(status: IncidentStatus, roles: readonly string[]): boolean {
  const internal = roles.some((r) => r !== 'party-liaison');
  if (internal) return true;
  return ['parties-notified', 'response-received', 'closed'].includes(status);
}

/** The parties told by default: the alleging and the accused, when known. */
export function partiesToNotify(
  incident: Pick<WorkflowIncident, 'allegingParty' | 'accusedParty'>,
): string[] {
  const parties = [incident.allegingParty, incident.accusedParty].filter(
    (p): p is string => p !== null && p !== 'UNKNOWN',
  );
  return [...new Set(parties)];
}

/** Whether a party's liaisons are among those a marking releases to (by nation or as everyone). */
export function releasedToParty(marking: Marking, party: string): boolean {
  return marking.releasableTo.includes(RELEASABLE_TO_ALL) || marking.releasableTo.includes(party);
}
