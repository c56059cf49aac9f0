import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import {
  AID_IMPORTS_LAYER,
  fieldsOf,
  type ImportKind,
  type ImportProgress,
  type ImportState,
  MAX_STORED_ERRORS,
  progressPercent,
  type RowError,
} from '../../../domain/aid-imports.js';
import { describeSpec, mapColumns } from '../../../domain/hxl.js';
import { canWrite, formatMarking, type Marking, normaliseMarking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { Problem, problems } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import { consignmentsStore } from '../consignments/index.js';
import {
  type CsvRecord,
  csvParser,
  discardCsv,
  findHashtagRow,
  type ReceivedCsv,
  receiveCsv,
} from './imports.csv.js';
import {
  activityRow,
  asNewConsignment,
  consignmentRow,
  type Lookups,
  type NewActivity,
  type NewImportedConsignment,
  type RowContext,
} from './imports.rows.js';
import { type JobRow, importsStore as store } from './imports.store.js';

export interface ImportOptions {
  maxBytes: number;
  /** Rows per transaction: a batch is stored whole or, if the database refuses it, row by row. */
  batchRows: number;
}

export interface StartImport {
  kind: ImportKind;
  marking: Marking;
  filename: string | null;
  body: Readable;
}

export function toProgress(r: JobRow): ImportProgress {
  const marking = columnsToMarking(r);
  const state = r.state as ImportState;
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    filename: r.filename,
    state,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    importedRows: r.imported_rows,
    errorCount: r.error_count,
    percent: progressPercent(state, r.processed_rows, r.total_rows),
    failure: r.failure,
    startedBy: r.started_by,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    marking,
    markingText: formatMarking(marking),
  };
}

const MAX_RUNNING_JOBS = 4;

const noHxl = () =>
  new Problem(
    400,
    'no-hxl-row',
    'No HXL hashtag row',
    'The file has no row of HXL hashtags (such as #org, #loc+crossing, #item+name) among its first 25 rows.',
  );

type Row = NewImportedConsignment | NewActivity;

/** Imports of lists: receives the file, answers at once with a job, stores the rows in batches. */
export function importsService(db: Db, log: Logger, opts: ImportOptions) {
  const running = new Set<Promise<void>>();
  let closing = false;
  const bootedAt = new Date();

  async function lookups(viewer: Viewer): Promise<Lookups> {
    return db.asViewer(viewer, async (tx) => {
      const crossings = new Map((await store.crossings(tx)).map((c) => [c.name.trim().toLowerCase(), c.id]));
      const organisations = new Map<string, { id: string; code: string }>();
      for (const o of await store.organisations(tx)) {
        organisations.set(o.name.toLowerCase(), { id: o.id, code: o.code });
        organisations.set(o.code.toLowerCase(), { id: o.id, code: o.code });
      }
      return { crossings, organisations };
    });
  }

  async function start(viewer: Viewer, s: StartImport): Promise<ImportProgress> {
    const marking = normaliseMarking(s.marking);
    if (!canWrite(viewer, marking))
      throw problems.forbidden(
        `You may not write records marked ${formatMarking(marking)}: you could not read them.`,
      );
    // Each job holds a file and a connection at a time: a burst of uploads waits its turn.
    if (running.size >= MAX_RUNNING_JOBS)
      throw problems.tooMany(`${running.size} imports are running; try again when one has finished.`);
    const received = await receiveCsv(s.body, opts.maxBytes);
    let started = false;
    try {
      if (received.bytes === 0) throw problems.badRequest('The file is empty.');
      const header = await findHashtagRow(received.file);
      if (!header) throw noHxl();
      const map = mapColumns(header.hashtags, fieldsOf(s.kind));
      if (map.missing.length)
        throw new Problem(
          400,
          'missing-hashtag',
          'Required HXL hashtags missing',
          `A ${s.kind} list needs ${map.missing.map((m) => `${m.label} (${describeSpec(m)})`).join(', ')}.`,
          { missing: map.missing.map((m) => ({ field: m.field, hashtags: m.patterns })) },
        );
      const total = Math.max(0, received.lines - header.recordNumber);
      const id = await db.asViewer(viewer, (tx) =>
        store.createJob(tx, {
          kind: s.kind,
          filename: s.filename,
          totalRows: total,
          startedBy: viewer.userId,
          ...markingToColumns(marking),
        }),
      );
      started = true;
      const job = runJob(viewer, id, s.kind, marking, received, header.recordNumber, total, map)
        .catch(async (e: unknown) => {
          log.error({ err: e, jobId: id }, 'import job failed unexpectedly');
          await db
            .asViewer(viewer, (tx) =>
              store.finish(
                tx,
                id,
                'failed',
                'the import stopped on an internal error; the rows stored so far are kept',
              ),
            )
            .catch(() => undefined);
        })
        .finally(() => {
          running.delete(job);
          void discardCsv(received.file);
        });
      running.add(job);
      const row = await db.asViewer(viewer, (tx) => store.job(tx, id));
      return toProgress(row!);
    } catch (e) {
      if (!started) await discardCsv(received.file);
      throw e;
    }
  }

  async function runJob(
    viewer: Viewer,
    id: string,
    kind: ImportKind,
    marking: Marking,
    received: ReceivedCsv,
    hashtagRecord: number,
    estimate: number,
    map: ReturnType<typeof mapColumns>,
  ): Promise<void> {
    let total = estimate;
    const ctx: RowContext<string> = {
      viewer,
      centre: hasPermission(viewer.roles, 'aid:coordinate'),
      defaultMarking: marking,
      columns: map.columns,
      hashtags: map.hashtags,
      lookups: await lookups(viewer),
    };
    const markings = new Map<string, Marking | string>();
    const now = new Date().toISOString();
    let stored = 0;
    let processedSoFar = 0;
    let good: Row[] = [];
    let goodRows: number[] = [];
    let errors: RowError[] = [];
    let errorCount = 0;
    let processed = 0;
    let lastLine = 0;
    const parseErrors: RowError[] = [];

    const flush = async () => {
      const batch = { good, goodRows, errors, errorCount, processed };
      good = [];
      goodRows = [];
      errors = [];
      errorCount = 0;
      processed = 0;
      if (batch.processed === 0 && batch.errors.length === 0) return;
      processedSoFar += batch.processed;
      total = Math.max(total, processedSoFar);
      const keepErrors = (list: RowError[]) => {
        const keep = list.slice(0, Math.max(0, MAX_STORED_ERRORS - stored));
        stored += keep.length;
        return keep;
      };
      const record = async (tx: Tx, imported: number, list: RowError[], refused: number) => {
        await store.progress(tx, id, {
          processed: batch.processed,
          imported,
          errors: keepErrors(list),
          errorCount: refused,
          total,
        });
        const row = await store.job(tx, id);
        if (row)
          await recordEvent(tx, {
            actor: viewer.userId,
            kind: 'upsert',
            layer: AID_IMPORTS_LAYER,
            entityId: id,
            payload: toProgress(row),
            marking,
            prevMarking: null,
          });
      };
      // The batch and its progress in one transaction: what the job says is stored, is.
      const storedBefore = stored;
      try {
        await db.asViewer(viewer, async (tx) => {
          await insert(tx, batch.good);
          await record(tx, batch.good.length, batch.errors, batch.errorCount);
        });
        return;
      } catch (e) {
        stored = storedBefore;
        if (closing) throw e;
        log.warn({ err: e, jobId: id }, 'import batch refused; storing its rows one by one');
      }
      let imported = 0;
      for (let i = 0; i < batch.good.length; i++) {
        try {
          await db.asViewer(viewer, (tx) => insert(tx, [batch.good[i]!]));
          imported++;
        } catch (e) {
          batch.errors.push({
            row: batch.goodRows[i]!,
            reason: `the database refused the row: ${(e as Error).message}`,
          });
        }
      }
      batch.errors.sort((a, b) => a.row - b.row);
      const refused = batch.errorCount + batch.good.length - imported;
      await db.asViewer(viewer, (tx) => record(tx, imported, batch.errors, refused));
    };
    // Consignments go in by the consignments module's one insert path, as the API's and the demo's do.
    const insert = (tx: Tx, rows: Row[]) => {
      if (kind !== 'consignments')
        return store.insertActivities(tx, rows as NewActivity[], id, viewer.userId);
      const ids = { importJobId: id, actor: viewer.userId, now: new Date().toISOString() };
      return consignmentsStore.insertMany(
        tx,
        (rows as NewImportedConsignment[]).map((r) => asNewConsignment(r, { ...ids, id: randomUUID() })),
      );
    };
    // One batch is stored while the next is read and checked; never more than one in flight.
    let inFlight: Promise<void> = Promise.resolve();
    let flushFailed: unknown = null;
    const next = async () => {
      await inFlight;
      if (flushFailed) throw flushFailed;
      inFlight = flush().catch((e: unknown) => {
        flushFailed = e;
      });
    };

    const refuse = (e: RowError[]) => {
      errorCount++;
      errors.push(...e);
    };
    const drainParseErrors = () => {
      for (const e of parseErrors.splice(0)) {
        processed++;
        refuse([e]);
      }
    };

    const parser = fs.createReadStream(received.file).pipe(csvParser());
    parser.on('skip', (err: Error & { lines?: number; records?: number }) => {
      const line = err.lines ?? 0;
      const open = (err as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED';
      parseErrors.push({
        row: (err.records ?? 0) + 1,
        reason: open
          ? `unbalanced quote: a quoted cell opened on line ${lastLine + 1} is never closed; lines ${lastLine + 1}–${line} could not be read`
          : `the CSV cannot be read at line ${line}: ${err.message}`,
      });
    });
    try {
      for await (const r of parser as AsyncIterable<CsvRecord>) {
        if (closing) throw new Error('the server stopped during the import; the rows stored so far are kept');
        drainParseErrors();
        lastLine = r.info.lines;
        const row = r.info.records;
        if (row <= hashtagRecord) continue;
        processed++;
        if (r.record.every((c) => c.trim() === '')) {
          refuse([{ row, reason: 'the row is empty' }]);
        } else {
          const res =
            kind === 'consignments'
              ? consignmentRow(r.record, row, ctx, markings, now)
              : activityRow(r.record, row, ctx, markings);
          if (res.ok) {
            good.push(res.value);
            goodRows.push(row);
          } else refuse(res.errors);
        }
        if (processed >= opts.batchRows) await next();
      }
      drainParseErrors();
      await next();
      await inFlight;
      if (flushFailed) throw flushFailed;
      await db.asViewer(viewer, (tx) => store.finish(tx, id, 'done', null));
    } catch (e) {
      parser.destroy();
      const csv = e instanceof Error && 'lines' in e;
      const reason = csv
        ? `the CSV cannot be read at line ${String((e as { lines: number }).lines)}: ${(e as Error).message}`
        : closing
          ? 'the server stopped during the import; the rows stored so far are kept'
          : 'the import stopped on an internal error; the rows stored so far are kept';
      if (!csv && !closing) log.error({ err: e, jobId: id }, 'import job failed');
      await inFlight;
      if (!flushFailed) await flush().catch(() => undefined);
      await db.asViewer(viewer, (tx) => store.finish(tx, id, 'failed', reason)).catch(() => undefined);
    }
  }

  return {
    start,
    /**
     * Jobs left running by a server that stopped (a crash, a kill) are failed with what they
     * stored; one Concord process runs the jobs it accepted.
     */
    async recover(): Promise<number> {
      return db.asSystem((tx) => store.failStale(tx, bootedAt));
    },
    async progress(viewer: Viewer, id: string): Promise<ImportProgress> {
      const row = await db.asViewer(viewer, (tx) => store.job(tx, id));
      if (!row) throw problems.notFound(`Import ${id}`);
      return toProgress(row);
    },
    async list(viewer: Viewer, limit: number): Promise<ImportProgress[]> {
      return (await db.asViewer(viewer, (tx) => store.jobs(tx, limit))).map(toProgress);
    },
    async errors(viewer: Viewer, id: string, offset: number, limit: number) {
      return db.asViewer(viewer, async (tx) => {
        const job = await store.job(tx, id);
        const errors = job ? await store.errors(tx, id, offset, limit) : undefined;
        if (!job || !errors) throw problems.notFound(`Import ${id}`);
        return { job: toProgress(job), errors };
      });
    },
    /** Stops running jobs at their next row (each is marked failed with what it stored) and waits for them. */
    async close(): Promise<void> {
      closing = true;
      while (running.size) await Promise.allSettled([...running]);
    },
    /** Resolves when every running job has finished (tests). */
    async idle(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
export type ImportsService = ReturnType<typeof importsService>;
