import type { BBox } from '../../../domain/geometry.js';
import { governorateOf } from '../../../domain/governorates.js';
import {
  canEditAssessment,
  INCIDENT_STATUSES,
  type IncidentStatus,
  TERMINAL_STATUSES,
} from '../../../domain/incident-workflow.js';
import {
  type Casualties,
  type Finding,
  INCIDENT_TAXONOMY,
  type IncidentCategory,
  type IncidentDetail,
  type IncidentFeature,
  type IncidentReportInput,
  isSubtypeOf,
  type MergeCandidate,
  NO_CASUALTIES,
} from '../../../domain/incidents.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { markedCollection } from '../../platform/collections.js';
import { Problem, problems } from '../../platform/errors.js';
import {
  actorOf,
  candidatesFor,
  incidentNotFound,
  lineFor,
  loadDetail,
  lockAt,
  publish,
} from './incidents.common.js';
import { incidentTitle, toIncidentFeature, toWorkflowIncident } from './incidents.features.js';
import { checkWritable, validateReport } from './incidents.input.js';
import { type IncidentChange, incidentsStore as store } from './incidents.store.js';
import { type ActionInput, actOnIncident } from './incidents.workflow.js';

export const DEFAULT_LIST = 500;
export const MAX_LIST = 5000;

export interface IncidentListFilter {
  from?: Date;
  to?: Date;
  governorates?: readonly string[];
  categories?: readonly string[];
  statuses?: readonly IncidentStatus[];
  party?: string;
  bbox?: BBox;
  q?: string;
  limit?: number;
}

export interface IncidentCollection {
  type: 'FeatureCollection';
  features: IncidentFeature[];
  marking: Marking;
  markingText: string;
  truncated: boolean;
}

export interface IncidentCounts {
  byStatus: Record<IncidentStatus, number>;
  total: number;
  marking: Marking;
  markingText: string;
}

export interface IncidentEdit {
  version: number;
  title?: string;
  category?: IncidentCategory;
  subtype?: string;
  casualties?: Casualties;
  marking?: Marking;
}

const invalidTransition = (detail: string, extra: Record<string, unknown>) =>
  new Problem(409, 'invalid-transition', 'Not possible in this status', detail, extra);

export function incidentsService(db: Db) {
  async function list(viewer: Viewer, f: IncidentListFilter = {}): Promise<IncidentCollection> {
    const limit = Math.min(f.limit ?? DEFAULT_LIST, MAX_LIST);
    const rows = await db.asViewer(viewer, (tx) => store.list(tx, { ...f, limit: limit + 1 }));
    return markedCollection(
      rows.slice(0, limit).map((r) => toIncidentFeature(r, { roles: viewer.roles })),
      rows.length > limit,
    );
  }

  return {
    list,

    async counts(viewer: Viewer, f: Omit<IncidentListFilter, 'limit'> = {}): Promise<IncidentCounts> {
      const rows = await db.asViewer(viewer, (tx) => store.counts(tx, f));
      const byStatus = Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, 0])) as Record<
        IncidentStatus,
        number
      >;
      let total = 0;
      for (const r of rows) {
        if (!(r.status in byStatus)) continue;
        byStatus[r.status] += r.n;
        total += r.n;
      }
      const marking = aggregateMarking(rows.map(columnsToMarking));
      return { byStatus, total, marking, markingText: formatMarking(marking) };
    },

    async get(viewer: Viewer, id: string): Promise<IncidentDetail> {
      const d = await db.asViewer(viewer, (tx) => loadDetail(tx, viewer, id));
      if (!d) throw incidentNotFound(id);
      return d;
    },

    async candidates(viewer: Viewer, id: string): Promise<MergeCandidate[]> {
      const out = await db.asViewer(viewer, async (tx) => {
        const row = await store.get(tx, id);
        return row ? candidatesFor(tx, row) : null;
      });
      if (!out) throw incidentNotFound(id);
      return out;
    },

    /**
     * The live layer's snapshot: what the list gives, as live payloads carry it (no finding before
     * the parties are told, whoever asks), so that a snapshot and later upserts agree.
     */
    async snapshot(viewer: Viewer, bbox: BBox | undefined): Promise<IncidentFeature[]> {
      const rows = await db.asViewer(viewer, (tx) => store.list(tx, { bbox, limit: MAX_LIST }));
      return rows.map((r) => toIncidentFeature(r, 'public'));
    },

    /**
     * Submits a report: it opens a new incident (received) or, with incidentId, is added to that
     * incident. Returns the incident as the submitter sees it and the incidents it may duplicate.
     */
    async submit(
      viewer: Viewer,
      input: IncidentReportInput,
    ): Promise<{ incident: IncidentDetail; candidates: MergeCandidate[] }> {
      if (!hasPermission(viewer.roles, 'incidents:report'))
        throw problems.forbidden('Your role may not report incidents.');
      const v = validateReport(input, Date.now());
      checkWritable(viewer, input.marking);
      const m = markingToColumns(input.marking);
      const casualties = input.casualties ?? NO_CASUALTIES;
      const allegingParty =
        input.allegingParty ??
        (input.reporterKind === 'party' && viewer.roles.includes('party-liaison') ? viewer.nation : null);
      return db.asViewer(viewer, async (tx) => {
        let id: string;
        const report = {
          reporterKind: input.reporterKind,
          reporterName: input.reporterName?.trim() || null,
          submittedBy: viewer.userId,
          organisationId: viewer.organisationId,
          allegingParty,
          accusedParty: input.accusedParty,
          observedAt: v.observedAt,
          observedTo: v.observedTo,
          timePrecision: input.timePrecision,
          location: v.geometry,
          lon: v.lon,
          lat: v.lat,
          locationPrecision: input.locationPrecision,
          placeName: input.placeName?.trim() || null,
          category: input.category,
          subtype: input.subtype,
          casualties,
          narrative: input.narrative,
          reliability: input.grading?.reliability ?? null,
          credibility: input.grading?.credibility ?? null,
          ...m,
        };
        if (input.incidentId) {
          id = input.incidentId;
          const locked = await store.lock(tx, id);
          if (!locked) throw incidentNotFound(id);
          if (TERMINAL_STATUSES.includes(locked.status))
            throw invalidTransition(`A report cannot be added to an incident that is ${locked.status}.`, {
              status: locked.status,
            });
          const before = (await store.get(tx, id))!;
          const marking = columnsToMarking(before);
          await store.insertReport(tx, { ...report, incidentId: id });
          const version = await store.update(tx, id, {});
          // Under the report's marking: read through its incident, it reaches who may see both (an
          // aggregate marking could be released to nobody, not even the submitter).
          await store.addAction(tx, {
            incidentId: id,
            action: 'report-added',
            from: null,
            to: null,
            actor: viewer.userId,
            note: `${input.reporterKind} report`,
            party: null,
            version,
            ...m,
          });
          await publish(tx, viewer.userId, id, marking);
        } else {
          const line = await lineFor(tx, input.marking, v.observedAt, v.lon, v.lat);
          const governorate = governorateOf(v.lon, v.lat);
          id = await store.insert(tx, {
            title: incidentTitle(input.category, input.subtype, report.placeName ?? governorate),
            category: input.category,
            subtype: input.subtype,
            status: 'received',
            observedAt: v.observedAt,
            observedTo: v.observedTo,
            timePrecision: input.timePrecision,
            lon: v.lon,
            lat: v.lat,
            area: v.geometry.type === 'Polygon' ? v.geometry : null,
            locationPrecision: input.locationPrecision,
            governorate,
            line,
            allegingParty,
            accusedParty: input.accusedParty,
            casualties,
            sourceAlertId: null,
            createdBy: viewer.userId,
            version: 1,
            ...m,
          });
          await store.insertReport(tx, { ...report, incidentId: id });
          await store.addAction(tx, {
            incidentId: id,
            action: 'received',
            from: null,
            to: 'received',
            actor: viewer.userId,
            note: null,
            party: null,
            version: 1,
            ...m,
          });
          await publish(tx, viewer.userId, id, null);
        }
        const incident = (await loadDetail(tx, viewer, id))!;
        const row = (await store.get(tx, id))!;
        return { incident, candidates: await candidatesFor(tx, row) };
      });
    },

    /** Edits what triage decides: title, category and sub-type, casualties, marking. */
    edit(viewer: Viewer, id: string, e: IncidentEdit): Promise<IncidentDetail> {
      if (!hasPermission(viewer.roles, 'incidents:triage'))
        throw problems.forbidden('Your role may not edit incidents.');
      const title = e.title?.trim();
      if (e.title !== undefined && !title)
        throw problems.badRequest('title must not be empty', { field: 'title' });
      if (e.marking) checkWritable(viewer, e.marking);
      return db.asViewer(viewer, async (tx) => {
        const row = await lockAt(tx, id, e.version);
        if (TERMINAL_STATUSES.includes(row.status))
          throw invalidTransition(`An incident that is ${row.status} cannot be edited; reopen it first.`, {
            status: row.status,
            currentVersion: row.version,
          });
        const category = e.category ?? (row.category as IncidentCategory);
        const subtype = e.subtype ?? row.subtype;
        if ((e.category !== undefined || e.subtype !== undefined) && !isSubtypeOf(category, subtype))
          throw problems.badRequest(
            `subtype ${subtype} is not a sub-type of ${category}; use one of ${INCIDENT_TAXONOMY[category].join(', ')}`,
            { field: 'subtype' },
          );
        const change: IncidentChange = {
          ...(title !== undefined && title !== row.title ? { title } : {}),
          ...(category !== row.category ? { category } : {}),
          ...(subtype !== row.subtype ? { subtype } : {}),
          ...(e.casualties ? { casualties: e.casualties } : {}),
        };
        const prevMarking = columnsToMarking(row);
        const marking = e.marking ?? prevMarking;
        if (e.marking && formatMarking(e.marking) !== formatMarking(prevMarking)) {
          change.marking = markingToColumns(e.marking);
        }
        const changed = Object.keys(change);
        if (changed.length === 0)
          throw problems.badRequest(
            'Nothing to change: send title, category, subtype, casualties or marking.',
          );
        const version = await store.update(tx, id, change);
        await store.addAction(tx, {
          incidentId: id,
          action: 'edited',
          from: null,
          to: null,
          actor: viewer.userId,
          note: `Changed ${changed.join(', ')}`,
          party: null,
          version,
          ...markingToColumns(marking),
        });
        await publish(tx, viewer.userId, id, prevMarking);
        return (await loadDetail(tx, viewer, id))!;
      });
    },

    /** Saves the assessment: only its analyst, only under verification (never the reviewer). */
    saveAssessment(
      viewer: Viewer,
      id: string,
      a: { version: number; finding: Finding; rationale: string },
    ): Promise<IncidentDetail> {
      const rationale = a.rationale.trim();
      return db.asViewer(viewer, async (tx) => {
        const row = await lockAt(tx, id, a.version);
        const incident = toWorkflowIncident(row);
        const extra = { status: row.status, currentVersion: row.version };
        if (!canEditAssessment(incident, actorOf(viewer))) {
          if (
            !hasPermission(viewer.roles, 'incidents:assess') &&
            !hasPermission(viewer.roles, 'incidents:review')
          )
            throw problems.forbidden('Your role may not write assessments.');
          if (row.status === 'peer-review' && row.analyst !== viewer.userId)
            throw new Problem(
              403,
              'four-eyes',
              'Four-eyes rule',
              'The reviewer may approve or return the assessment, never edit it.',
              extra,
            );
          if (row.status !== 'under-verification')
            throw invalidTransition(
              `The assessment cannot be edited while the incident is ${row.status}.`,
              extra,
            );
          throw problems.forbidden('Only the analyst of this incident may edit its assessment.');
        }
        if (!rationale) throw problems.badRequest('rationale must not be empty', { field: 'rationale' });
        const version = await store.update(tx, id, { finding: a.finding, rationale, assessedAt: 'now' });
        const marking = columnsToMarking(row);
        await store.addAction(tx, {
          incidentId: id,
          action: 'assessment-edited',
          from: null,
          to: null,
          actor: viewer.userId,
          note: null,
          party: null,
          version,
          ...markingToColumns(marking),
        });
        await publish(tx, viewer.userId, id, marking);
        return (await loadDetail(tx, viewer, id))!;
      });
    },

    /** One workflow action (triage … reopen, merge), as the status machine allows. */
    act(viewer: Viewer, id: string, input: ActionInput): Promise<IncidentDetail> {
      return actOnIncident(db, viewer, id, input);
    },
  };
}
export type IncidentsService = ReturnType<typeof incidentsService>;
