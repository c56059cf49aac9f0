import {
  INCIDENT_TRANSITIONS,
  type IncidentAction,
  partiesToNotify,
  refusalOf,
  releasedToParty,
  TERMINAL_STATUSES,
} from '../../../domain/incident-workflow.js';
import type { IncidentDetail } from '../../../domain/incidents.js';
import { type Finding, incidentNumber } from '../../../domain/incidents.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { Problem, problems } from '../../platform/errors.js';
import { moveEvidenceOnMerge } from '../evidence/index.js';
import {
  actorOf,
  incidentNotFound,
  loadDetail,
  lockAt,
  publish,
  refusalProblem,
} from './incidents.common.js';
import { toWorkflowIncident } from './incidents.features.js';
import { type IncidentChange, type IncidentRow, incidentsStore as store } from './incidents.store.js';

/** What a client sends to act on an incident. */
export interface ActionInput {
  action: IncidentAction;
  version: number;
  note?: string;
  finding?: Finding;
  rationale?: string;
  /** merge: the incident this one duplicates (it receives this one's reports). */
  duplicateOf?: string;
  /** record-response: the party's answer. */
  response?: string;
  /** notify-parties: who is told (default: the alleging and the accused party). */
  parties?: string[];
  /** record-response by someone other than the party's liaison: whose answer it is. */
  party?: string;
}

const missing = (field: string, detail: string) => problems.badRequest(detail, { field });

/** The party whose answer is recorded: a liaison answers for their own party only. */
function respondingParty(viewer: Viewer, row: IncidentRow, input: ActionInput): string {
  const named = input.party ?? input.parties?.[0];
  const liaison = viewer.roles.includes('party-liaison') && !viewer.roles.includes('admin');
  if (liaison) {
    if (named && named !== viewer.nation)
      throw problems.forbidden('A liaison officer may record only their own party’s answer.');
    return viewer.nation!;
  }
  if (!named) throw missing('party', 'Say whose answer this is: party (one of the notified parties).');
  if (!row.notified_parties.includes(named))
    throw missing(
      'party',
      `${named} was not notified; the notified parties are ${row.notified_parties.join(', ')}.`,
    );
  return named;
}

/**
 * Runs one action as the viewer in one transaction: the incident is locked (RLS: hidden is
 * missing), its version checked, the status machine consulted, the change applied, the timeline
 * extended and an outbox event written.
 */
export function actOnIncident(
  db: Db,
  viewer: Viewer,
  id: string,
  input: ActionInput,
): Promise<IncidentDetail> {
  return db.asViewer(viewer, async (tx) => {
    // A merge locks both incidents, always in the same order: two merges of a pair the other way
    // round wait for each other instead of deadlocking.
    if (input.action === 'merge' && input.duplicateOf && input.duplicateOf !== id)
      for (const x of [id, input.duplicateOf].sort()) await store.lock(tx, x);
    const row = await lockAt(tx, id, input.version);
    const extra = { status: row.status, currentVersion: row.version };
    const refusal = refusalOf(input.action, toWorkflowIncident(row), actorOf(viewer));
    if (refusal) throw refusalProblem(refusal, extra);
    const t = INCIDENT_TRANSITIONS[input.action];
    const note = input.note?.trim() || null;
    if (t.requires.includes('note') && !note)
      throw missing('note', `${input.action} needs a note saying why.`);
    const change: IncidentChange = { status: t.to };
    let entryNote = note;
    let party: string | null = null;
    let mergeInto: IncidentRow | null = null;
    switch (input.action) {
      case 'start-verification':
        // Whoever takes it into verification is its analyst; a former approval no longer holds.
        Object.assign(change, { analyst: viewer.userId, reviewer: null, approvedAt: null });
        break;
      case 'submit-for-review': {
        const finding = input.finding ?? row.finding;
        const rationale = input.rationale?.trim() || row.rationale;
        if (!finding || !rationale)
          throw missing(
            'finding',
            'Submitting for review needs a finding and its rationale (saved or sent now).',
          );
        Object.assign(change, { finding, rationale, assessedAt: 'now' });
        break;
      }
      case 'approve':
        Object.assign(change, { reviewer: viewer.userId, approvedAt: 'now' });
        break;
      case 'return':
        Object.assign(change, { reviewer: null, approvedAt: null });
        break;
      case 'notify-parties': {
        // A party is told only what it may read: its liaisons must be able to see the incident.
        const marking = columnsToMarking(row);
        const asked = input.parties ?? partiesToNotify(toWorkflowIncident(row));
        const parties = [...new Set(asked)].filter((p) => releasedToParty(marking, p));
        const withheld = [...new Set(asked)].filter((p) => !releasedToParty(marking, p));
        if (input.parties && withheld.length)
          throw missing(
            'parties',
            `The incident is not released to ${withheld.join(', ')}: widen its marking before notifying them.`,
          );
        if (parties.length === 0)
          throw missing(
            'parties',
            'No party this incident is released to is known to notify: name them in parties, or widen the marking.',
          );
        Object.assign(change, { notifiedParties: parties, notifiedAt: 'now' });
        entryNote = note ?? `Notified ${parties.join(', ')}`;
        break;
      }
      case 'record-response': {
        const response = input.response?.trim();
        if (!response) throw missing('response', 'record-response needs the response text.');
        party = respondingParty(viewer, row, input);
        entryNote = response;
        break;
      }
      case 'merge':
        mergeInto = await mergeTarget(tx, id, input.duplicateOf);
        change.duplicateOf = mergeInto.id;
        // The reports and evidence are moved as the system: the actor may not see every one of
        // them, and none may be left on the duplicate. Committed first, so a failure later leaves
        // them on a live incident.
        await db.asSystem(async (sys) => {
          const to = mergeInto!;
          await store.moveReports(sys, id, to.id);
          const [dup, into] = [row, to].map((r) => incidentNumber(Number(r.number)));
          await moveEvidenceOnMerge(sys, {
            from: id,
            to: to.id,
            actor: viewer.userId,
            note: `Moved from ${dup} to ${into}: ${dup} was merged into it as a duplicate.`,
          });
        });
        break;
    }
    const marking = columnsToMarking(row);
    const version = await store.update(tx, id, change);
    await store.addAction(tx, {
      incidentId: id,
      action: input.action,
      from: row.status,
      to: t.to,
      actor: viewer.userId,
      note: entryNote,
      party,
      version,
      ...markingToColumns(marking),
    });
    await publish(tx, viewer.userId, id, marking);
    if (mergeInto) {
      const targetMarking = columnsToMarking(mergeInto);
      const targetVersion = await store.update(tx, mergeInto.id, {});
      // Under the duplicate's marking: read through the target, it reaches who may see both.
      await store.addAction(tx, {
        incidentId: mergeInto.id,
        action: 'merge',
        from: mergeInto.status,
        to: mergeInto.status,
        actor: viewer.userId,
        note: `${incidentNumber(Number(row.number))} merged into this incident as a duplicate${note ? `: ${note}` : ''}`,
        party: null,
        version: targetVersion,
        ...markingToColumns(marking),
      });
      await publish(tx, viewer.userId, mergeInto.id, targetMarking);
    }
    return (await loadDetail(tx, viewer, id))!;
  });
}

/** The incident a duplicate is merged into: another one, visible to the actor, still open. */
async function mergeTarget(tx: Tx, id: string, targetId: string | undefined): Promise<IncidentRow> {
  if (!targetId) throw missing('duplicateOf', 'merge needs duplicateOf: the incident this one duplicates.');
  if (targetId === id) throw missing('duplicateOf', 'An incident cannot be a duplicate of itself.');
  const locked = await store.lock(tx, targetId);
  if (!locked) throw incidentNotFound(targetId);
  if (TERMINAL_STATUSES.includes(locked.status))
    throw new Problem(
      409,
      'invalid-transition',
      'Not possible in this status',
      `Incident ${targetId} is ${locked.status}; merge into an open incident.`,
      { field: 'duplicateOf' },
    );
  return (await store.get(tx, targetId))!;
}
