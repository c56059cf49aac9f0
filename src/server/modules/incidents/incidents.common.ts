import {
  allowedIncidentActions,
  mayReadFinding,
  type Refusal,
  type WorkflowActor,
} from '../../../domain/incident-workflow.js';
import {
  CLUSTER_RADIUS_M,
  CLUSTER_WINDOW_MS,
  INCIDENTS_LAYER,
  type IncidentDetail,
  type IncidentTimelineEntry,
  incidentNumber,
  type MergeCandidate,
} from '../../../domain/incidents.js';
import type { Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Tx } from '../../db/database.js';
import { assertVersion, Problem, problems } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import { controlLinesInForce } from '../zones/index.js';
import {
  markingCovers,
  mergeCandidates,
  nearestLineSide,
  toIncidentFeature,
  toReport,
  toTimelineEntry,
  toWorkflowIncident,
} from './incidents.features.js';
import { type IncidentRow, incidentsStore as store } from './incidents.store.js';

/** Shared by the service, the workflow and automatic incidents. */

/** Timeline entries of the centre's own verification, whose notes may speak of the finding. */
const ASSESSMENT_STEPS: ReadonlySet<string> = new Set([
  'start-verification',
  'assessment-edited',
  'submit-for-review',
  'approve',
  'return',
]);

/** The same answer whether the incident does not exist or is not released to the viewer. */
export const incidentNotFound = (id: string) => problems.notFound(`Incident ${id}`);

export function actorOf(viewer: Viewer): WorkflowActor {
  return { userId: viewer.userId, roles: viewer.roles, nation: viewer.nation };
}

export function refusalProblem(r: Refusal, extra: Record<string, unknown>): Problem {
  switch (r.code) {
    case 'invalid-transition':
      return new Problem(409, 'invalid-transition', 'Not possible in this status', r.message, extra);
    case 'four-eyes':
      return new Problem(403, 'four-eyes', 'Four-eyes rule', r.message, extra);
    default:
      return new Problem(403, 'forbidden', 'Forbidden', r.message, extra);
  }
}

/** Locks the incident and checks the version the client saw; returns the current row. */
export async function lockAt(tx: Tx, id: string, expectedVersion: number): Promise<IncidentRow> {
  const locked = await store.lock(tx, id);
  if (!locked) throw incidentNotFound(id);
  assertVersion(`Incident ${id}`, locked.version, expectedVersion, { status: locked.status });
  return (await store.get(tx, id))!;
}

/**
 * Writes the outbox event of the incident's new state. The payload is what every subscriber who
 * may see the incident may read (no finding before the parties are told, only reports they all see).
 */
export async function publish(
  tx: Tx,
  actor: string | null,
  id: string,
  prevMarking: Marking | null,
): Promise<IncidentRow> {
  const row = (await store.get(tx, id))!;
  const feature = toIncidentFeature(row, 'public');
  await recordEvent(tx, {
    actor,
    kind: 'upsert',
    layer: INCIDENTS_LAYER,
    entityId: id,
    payload: feature,
    marking: feature.properties.marking,
    prevMarking,
  });
  return row;
}

/** The incident page as this viewer may see it; undefined when the incident is not released to them. */
export async function loadDetail(tx: Tx, viewer: Viewer, id: string): Promise<IncidentDetail | undefined> {
  const row = await store.get(tx, id);
  if (!row) return undefined;
  const reports = await store.reports(tx, id);
  const actions = await store.timeline(tx, id);
  const feature = toIncidentFeature(row, { roles: viewer.roles });
  const readable = mayReadFinding(row.status, viewer.roles);
  // Notes of the verification steps may speak of the finding: not for who may not read it yet.
  const timeline: IncidentTimelineEntry[] = actions
    .map(toTimelineEntry)
    .map((t) => (readable || !ASSESSMENT_STEPS.has(t.action) ? t : { ...t, note: null }));
  // Read as the viewer: the number of an incident they may not see stays unknown to them.
  const original = row.duplicate_of ? await store.get(tx, row.duplicate_of) : undefined;
  return {
    feature,
    reports: reports.map(toReport),
    assessment:
      readable && row.finding
        ? {
            finding: feature.properties.finding!,
            rationale: row.rationale ?? '',
            assessedBy: row.analyst_name ?? 'system',
            assessedAt: (row.assessed_at ?? row.updated_at).toISOString(),
            approvedBy: row.approved_at ? row.reviewer_name : null,
            approvedAt: row.approved_at?.toISOString() ?? null,
          }
        : null,
    responses: actions
      .filter((a) => a.action === 'record-response' && a.party)
      .map((a) => ({ party: a.party!, text: a.note ?? '', at: a.at.toISOString(), by: a.actor ?? 'system' })),
    timeline,
    allowedActions: allowedIncidentActions(toWorkflowIncident(row), actorOf(viewer)),
    duplicateOfNumber: original ? incidentNumber(Number(original.number)) : null,
  };
}

/** Incidents near enough in space and time to be the same event as `row`, nearest first. */
export async function candidatesFor(tx: Tx, row: IncidentRow): Promise<MergeCandidate[]> {
  const start = row.observed_at;
  const end = row.observed_to ?? row.observed_at;
  const others = await store.near(tx, {
    lon: row.lon,
    lat: row.lat,
    start,
    end,
    radiusM: CLUSTER_RADIUS_M,
    windowMs: CLUSTER_WINDOW_MS,
    exceptId: row.id,
  });
  return mergeCandidates(row, others);
}

/**
 * The control line in force at `at` nearest to the point, among those everyone who may see the
 * incident may see too (so its name may travel with the incident).
 */
export async function lineFor(tx: Tx, marking: Marking, at: Date, lon: number, lat: number) {
  const lines = (await controlLinesInForce(tx, at))
    .filter((f) => markingCovers(marking, f.properties.marking))
    .map((f) => ({
      id: f.id,
      version: f.properties.version,
      geometry: f.geometry,
      marking: f.properties.marking,
    }));
  return nearestLineSide(lines, lon, lat);
}
