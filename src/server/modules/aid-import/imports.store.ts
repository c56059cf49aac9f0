import { sql } from 'kysely';
import type { RowError } from '../../../domain/aid-imports.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';
import { numberArray, textArray } from '../../db/pg-arrays.js';
import type { NewActivity } from './imports.rows.js';

/** Import jobs, the records they store and the exports: all SQL of the module. */

export interface JobRow extends MarkingColumns {
  id: string;
  kind: string;
  filename: string | null;
  state: string;
  total_rows: number;
  processed_rows: number;
  imported_rows: number;
  error_count: number;
  failure: string | null;
  started_by: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export interface ConsignmentExportRow extends MarkingColumns {
  id: string;
  number: string;
  reference: string | null;
  organisation_code: string;
  donor: string | null;
  corridor: string | null;
  crossing_name: string | null;
  lon: number | null;
  lat: number | null;
  pallets: number;
  tonnes: number;
  trucks: number;
  state: string;
  state_at: Date;
  created_at: Date;
  import_job_id: string | null;
  items: { category: string; description: string; quantity: number; unit: string; dualUse: boolean }[];
}

export interface ActivityExportRow extends MarkingColumns {
  id: string;
  reference: string | null;
  organisation: string;
  organisation_code: string | null;
  sector: string;
  activity: string | null;
  admin1: string | null;
  location: string | null;
  lon: number | null;
  lat: number | null;
  start_date: string | null;
  end_date: string | null;
  people_targeted: number | null;
  people_reached: number | null;
  status: string | null;
  import_job_id: string | null;
  updated_at: Date;
}

const JOB_COLUMNS = sql`j.id, j.kind, j.filename, j.state, j.total_rows, j.processed_rows, j.imported_rows,
  j.error_count, j.failure, (SELECT username FROM users u WHERE u.id = j.started_by) AS started_by,
  j.started_at, j.finished_at, j.classification, j.releasable_to, j.caveats`;

const json = (v: unknown) => JSON.stringify(v);

export const importsStore = {
  async createJob(
    tx: Tx,
    j: { kind: string; filename: string | null; totalRows: number; startedBy: string } & MarkingColumns,
  ): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO import_jobs (kind, filename, total_rows, started_by, classification, releasable_to, caveats)
      VALUES (${j.kind}, ${j.filename}, ${j.totalRows}, ${j.startedBy}, ${j.classification},
        ${j.releasable_to}, ${j.caveats})
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  },

  async job(tx: Tx, id: string): Promise<JobRow | undefined> {
    const r = await sql<JobRow>`SELECT ${JOB_COLUMNS} FROM import_jobs j WHERE j.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  async jobs(tx: Tx, limit: number): Promise<JobRow[]> {
    const r = await sql<JobRow>`SELECT ${JOB_COLUMNS} FROM import_jobs j
      ORDER BY j.started_at DESC LIMIT ${limit}`.execute(tx);
    return r.rows;
  },

  /** The job's errors in row order, `limit` from `offset`. */
  async errors(tx: Tx, id: string, offset: number, limit: number): Promise<RowError[] | undefined> {
    const r = await sql<{ errors: RowError[] | null }>`
      SELECT (SELECT coalesce(jsonb_agg(e ORDER BY n), '[]'::jsonb)
              FROM jsonb_array_elements(j.errors) WITH ORDINALITY AS x(e, n)
              WHERE n > ${offset} AND n <= ${offset + limit}) AS errors
      FROM import_jobs j WHERE j.id = ${id}`.execute(tx);
    const row = r.rows[0];
    return row ? (row.errors ?? []) : undefined;
  },

  /** Adds a batch's counts and errors (`kept` of them stored in detail). */
  async progress(
    tx: Tx,
    id: string,
    p: {
      processed: number;
      imported: number;
      errors: readonly RowError[];
      errorCount: number;
      total: number;
    },
  ): Promise<void> {
    await sql`
      UPDATE import_jobs SET processed_rows = processed_rows + ${p.processed},
        imported_rows = imported_rows + ${p.imported}, error_count = error_count + ${p.errorCount},
        errors = CASE WHEN ${p.errors.length}::int = 0 THEN errors ELSE errors || ${json(p.errors)}::jsonb END,
        total_rows = greatest(${p.total}::int, processed_rows + ${p.processed})
      WHERE id = ${id}`.execute(tx);
  },

  async finish(tx: Tx, id: string, state: 'done' | 'failed', failure: string | null): Promise<void> {
    await sql`
      UPDATE import_jobs SET state = ${state}, failure = ${failure}, finished_at = now(),
        total_rows = CASE WHEN ${state} = 'done' THEN processed_rows ELSE total_rows END
      WHERE id = ${id}`.execute(tx);
  },

  async failStale(tx: Tx, before: Date): Promise<number> {
    const r = await sql`
      UPDATE import_jobs SET state = 'failed', finished_at = now(),
        failure = 'the server stopped during the import; the rows stored before are kept'
      WHERE state = 'running' AND started_at < ${before}`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  },

  async crossings(tx: Tx): Promise<{ id: string; name: string }[]> {
    const r = await sql<{ id: string; name: string }>`SELECT id, name FROM crossings`.execute(tx);
    return r.rows;
  },

  async organisations(tx: Tx): Promise<{ id: string; code: string; name: string }[]> {
    const r = await sql<{ id: string; code: string; name: string }>`
      SELECT id, code, name FROM organisations`.execute(tx);
    return r.rows;
  },

  async insertActivities(tx: Tx, rows: readonly NewActivity[], jobId: string, actor: string): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof NewActivity>(k: K) => rows.map((r) => r[k]);
    const text = (k: keyof NewActivity) => textArray(col(k) as (string | null)[]);
    const num = (k: keyof NewActivity) => numberArray(col(k) as (number | null)[]);
    const rel = textArray(rows.map((r) => `{${r.releasable_to.map((p) => `"${p}"`).join(',')}}`));
    const cav = textArray(rows.map((r) => `{${r.caveats.map((p) => `"${p}"`).join(',')}}`));
    await sql`
      INSERT INTO activities (reference, organisation, organisation_id, sector, activity, admin1, location,
        lon, lat, start_date, end_date, people_targeted, people_reached, status, import_job_id, created_by,
        classification, releasable_to, caveats)
      SELECT reference, organisation, organisation_id, sector, activity, admin1, location, lon, lat,
        start_date, end_date, targeted, reached, status, ${jobId}::uuid, ${actor}::uuid, classification,
        rel::text[], cav::text[]
      FROM unnest(${text('reference')}::text[], ${text('organisation')}::text[], ${text('organisationId')}::uuid[],
        ${text('sector')}::text[], ${text('activity')}::text[], ${text('admin1')}::text[], ${text('location')}::text[],
        ${num('lon')}::float8[], ${num('lat')}::float8[], ${text('start')}::date[], ${text('end')}::date[],
        ${num('targeted')}::int[], ${num('reached')}::int[], ${text('status')}::text[],
        ${numberArray(col('classification'))}::smallint[], ${rel}::text[], ${cav}::text[])
        WITH ORDINALITY AS u(reference, organisation, organisation_id, sector, activity, admin1, location, lon, lat,
          start_date, end_date, targeted, reached, status, classification, rel, cav, n)
      ORDER BY n`.execute(tx);
  },

  /** Consignments the viewer may see, with their crossing's position when the viewer may see it too. */
  async exportConsignments(tx: Tx, limit: number): Promise<ConsignmentExportRow[]> {
    const r = await sql<ConsignmentExportRow>`
      SELECT c.id, c.number::text AS number, c.reference, o.code AS organisation_code, c.donor, c.corridor,
        x.name AS crossing_name, x.lon, x.lat, c.pallets, c.tonnes, c.trucks, c.state, c.state_at,
        c.created_at, c.import_job_id, c.classification, c.releasable_to, c.caveats,
        (SELECT coalesce(json_agg(json_build_object('category', i.category, 'description', i.description,
          'quantity', i.quantity, 'unit', i.unit, 'dualUse', i.dual_use) ORDER BY i.id), '[]'::json)
         FROM consignment_items i WHERE i.consignment_id = c.id) AS items
      FROM consignments c JOIN organisations o ON o.id = c.requesting_organisation_id
        LEFT JOIN crossings x ON x.id = c.crossing_id
      ORDER BY c.number LIMIT ${limit}`.execute(tx);
    return r.rows;
  },

  async exportActivities(tx: Tx, limit: number): Promise<ActivityExportRow[]> {
    const r = await sql<ActivityExportRow>`
      SELECT a.id, a.reference, a.organisation, o.code AS organisation_code, a.sector, a.activity, a.admin1,
        a.location, a.lon, a.lat, a.start_date::text AS start_date, a.end_date::text AS end_date,
        a.people_targeted, a.people_reached, a.status, a.import_job_id, a.updated_at,
        a.classification, a.releasable_to, a.caveats
      FROM activities a LEFT JOIN organisations o ON o.id = a.organisation_id
      ORDER BY a.number LIMIT ${limit}`.execute(tx);
    return r.rows;
  },
};
