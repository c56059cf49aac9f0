import { sql } from 'kysely';
import type pg from 'pg';
import type { Marking } from '../../../domain/marking.js';
import type { ValidReport } from '../../../domain/position-reports.js';
import type { TrackState } from '../../../domain/tracks.js';
import { CopyBinaryWriter, copyBinary, textArrayField } from '../../db/copy-binary.js';
import { type Tx, toPgArray } from '../../db/database.js';
import { type MarkingColumns, markingToColumns } from '../../db/marking-columns.js';
import { numberArray, textArray } from '../../db/pg-arrays.js';

export interface TrackRow extends MarkingColumns {
  uid: string;
  kind: string;
  affiliation: string;
  sidc: string;
  callsign: string;
  organisation_id: string;
  organisation_code: string;
  source: string | null;
  lat: number;
  lon: number;
  alt: number | null;
  course: number | null;
  speed: number | null;
  accuracy: number | null;
  footprint: unknown;
  observed_at: Date;
  stale_at: Date;
  version: number;
}

export interface PositionRow extends MarkingColumns {
  uid: string;
  observed_at: Date;
  received_at: Date;
  lat: number;
  lon: number;
  alt: number | null;
  course: number | null;
  speed: number | null;
  accuracy: number | null;
  footprint: unknown;
}

const TRACK_COLUMNS = sql`t.uid, t.kind, t.affiliation, t.sidc, t.callsign, t.organisation_id,
  o.code AS organisation_code, t.source, t.lat, t.lon, t.alt, t.course, t.speed, t.accuracy, t.footprint,
  t.observed_at, t.stale_at, t.version, t.classification, t.releasable_to, t.caveats`;

/**
 * Column arrays for `unnest`: one statement writes a whole batch. Per-row arrays (releasability,
 * caveats) travel as array literals and are cast back row by row, since unnest flattens 2-D arrays.
 */
function stateColumns(states: readonly TrackState[]) {
  const m = states.map((s) => markingColumns(s.marking));
  return {
    uid: states.map((s) => s.uid),
    kind: states.map((s) => s.kind),
    affiliation: states.map((s) => s.affiliation),
    sidc: states.map((s) => s.sidc),
    callsign: states.map((s) => s.callsign),
    source: states.map((s) => s.source),
    lat: states.map((s) => s.lat),
    lon: states.map((s) => s.lon),
    alt: states.map((s) => s.alt),
    course: states.map((s) => s.course),
    speed: states.map((s) => s.speed),
    accuracy: states.map((s) => s.accuracy),
    footprint: states.map((s) => (s.footprint ? JSON.stringify(s.footprint) : null)),
    observedAt: states.map((s) => new Date(s.observedAt)),
    staleAt: states.map((s) => new Date(s.staleAt)),
    classification: m.map((x) => x.classification),
    releasableTo: m.map((x) => x.releasableTo),
    caveats: m.map((x) => x.caveats),
    version: states.map((s) => s.version),
  };
}

function markingColumns(marking: Marking) {
  const c = markingToColumns(marking);
  return {
    classification: c.classification,
    releasableTo: toPgArray(c.releasable_to),
    caveats: toPgArray(c.caveats),
  };
}

interface MarkingFields {
  classification: number;
  releasableTo: Buffer;
  caveats: Buffer;
}

function markingFields(marking: Marking): MarkingFields {
  const c = markingToColumns(marking);
  return {
    classification: c.classification,
    releasableTo: textArrayField(c.releasable_to),
    caveats: textArrayField(c.caveats),
  };
}

function unnestStates(states: readonly TrackState[]) {
  const c = stateColumns(states);
  return sql`unnest(${c.uid}::text[], ${c.kind}::text[], ${c.affiliation}::text[], ${c.sidc}::text[],
      ${c.callsign}::text[], ${c.source}::text[], ${c.lat}::float8[], ${c.lon}::float8[], ${c.alt}::float8[],
      ${c.course}::float8[], ${c.speed}::float8[], ${c.accuracy}::float8[], ${c.footprint}::jsonb[],
      ${c.observedAt}::timestamptz[], ${c.staleAt}::timestamptz[], ${c.classification}::smallint[],
      ${c.releasableTo}::text[], ${c.caveats}::text[], ${c.version}::int[])
    AS u(uid, kind, affiliation, sidc, callsign, source, lat, lon, alt, course, speed, accuracy, footprint,
      observed_at, stale_at, classification, releasable_to, caveats, version)`;
}

export const tracksStore = {
  /**
   * Creates tracks for their reporters' organisations (the track engine's batches mix reporters).
   * A uid that exists already is left alone and missing from the answer.
   */
  async insertOwned(
    tx: Tx,
    rows: readonly { state: TrackState; organisationId: string }[],
  ): Promise<string[]> {
    if (!rows.length) return [];
    const r = await sql<{ uid: string }>`
      INSERT INTO tracks (uid, kind, affiliation, sidc, callsign, organisation_id, source, lat, lon, alt,
        course, speed, accuracy, footprint, observed_at, stale_at, classification, releasable_to, caveats, version)
      SELECT u.uid, u.kind, u.affiliation, u.sidc, u.callsign, o.organisation_id, u.source, u.lat, u.lon,
        u.alt, u.course, u.speed, u.accuracy, u.footprint, u.observed_at, u.stale_at, u.classification,
        u.releasable_to::text[], u.caveats::text[], u.version
      FROM ${unnestStates(rows.map((x) => x.state))}
      JOIN unnest(${rows.map((x) => x.state.uid)}::text[], ${rows.map((x) => x.organisationId)}::uuid[])
        AS o(uid, organisation_id) ON o.uid = u.uid
      ORDER BY u.uid
      ON CONFLICT (uid) DO NOTHING
      RETURNING uid`.execute(tx);
    return r.rows.map((x) => x.uid);
  },

  /** Every track, stale or not, for the engine's memory (system transaction). */
  async all(tx: Tx): Promise<TrackRow[]> {
    const r = await sql<TrackRow>`
      SELECT ${TRACK_COLUMNS} FROM tracks t JOIN organisations o ON o.id = t.organisation_id`.execute(tx);
    return r.rows;
  },

  async byUids(tx: Tx, uids: readonly string[]): Promise<TrackRow[]> {
    const r = await sql<TrackRow>`
      SELECT ${TRACK_COLUMNS} FROM tracks t JOIN organisations o ON o.id = t.organisation_id
      WHERE t.uid = ANY(${uids}::text[])`.execute(tx);
    return r.rows;
  },

  /**
   * The newest observation of each track that is newer than its stored state: the moves of the
   * last seconds before a crash, which reached the history but not the `tracks` row.
   */
  async newerPositions(tx: Tx): Promise<PositionRow[]> {
    const r = await sql<PositionRow>`
      SELECT p.* FROM tracks t CROSS JOIN LATERAL (
        SELECT uid, observed_at, received_at, lat, lon, alt, course, speed, accuracy, footprint,
          classification, releasable_to, caveats
        FROM track_positions p WHERE p.uid = t.uid AND p.observed_at > t.observed_at
        ORDER BY p.observed_at DESC LIMIT 1) p`.execute(tx);
    return r.rows;
  },

  /** Tracks written since a time (by this or another process), for followers. */
  async updatedSince(tx: Tx, since: Date): Promise<(TrackRow & { updated_at: Date })[]> {
    const r = await sql<TrackRow & { updated_at: Date }>`
      SELECT ${TRACK_COLUMNS}, t.updated_at FROM tracks t JOIN organisations o ON o.id = t.organisation_id
      WHERE t.updated_at > ${since}`.execute(tx);
    return r.rows;
  },

  /** Writes newer current states of tracks; a row already at that version or later is left alone. */
  async updateStates(tx: Tx, states: readonly TrackState[]): Promise<void> {
    if (!states.length) return;
    await sql`
      UPDATE tracks t SET kind = u.kind, affiliation = u.affiliation, sidc = u.sidc, callsign = u.callsign,
        source = u.source, lat = u.lat, lon = u.lon, alt = u.alt, course = u.course, speed = u.speed,
        accuracy = u.accuracy, footprint = u.footprint, observed_at = u.observed_at, stale_at = u.stale_at,
        classification = u.classification, releasable_to = u.releasable_to::text[],
        caveats = u.caveats::text[], version = u.version, updated_at = now()
      FROM ${unnestStates(states)}
      WHERE t.uid = u.uid AND t.version < u.version`.execute(tx);
  },

  /** Adds observations to the history in one statement; a repeated (uid, observedAt) is skipped. */
  async insertPositions(
    tx: Tx,
    positions: readonly { report: ValidReport; marking: Marking }[],
  ): Promise<void> {
    if (!positions.length) return;
    const reports = positions.map((p) => p.report);
    // Reports of a batch share few markings: each is turned into columns once.
    const byMarking = new Map<string, ReturnType<typeof markingColumns>>();
    const m = positions.map((p) => {
      const k = `${p.marking.classification}|${p.marking.releasableTo.join()}|${p.marking.caveats?.join() ?? ''}`;
      let c = byMarking.get(k);
      if (!c) {
        c = markingColumns(p.marking);
        byMarking.set(k, c);
      }
      return c;
    });
    // Times travel as epoch milliseconds: exact, and far cheaper to encode than Dates.
    await sql`
      INSERT INTO track_positions (uid, observed_at, lat, lon, alt, course, speed, accuracy, footprint,
        classification, releasable_to, caveats)
      SELECT u.uid, 'epoch'::timestamptz + u.observed_ms * interval '1 millisecond', u.lat, u.lon, u.alt,
        u.course, u.speed, u.accuracy, u.footprint, u.classification, u.releasable_to::text[], u.caveats::text[]
      FROM unnest(${textArray(reports.map((r) => r.uid))}::text[],
        ${numberArray(reports.map((r) => r.observedAt))}::float8[],
        ${numberArray(reports.map((r) => r.lat))}::float8[], ${numberArray(reports.map((r) => r.lon))}::float8[],
        ${numberArray(reports.map((r) => r.alt))}::float8[], ${numberArray(reports.map((r) => r.course))}::float8[],
        ${numberArray(reports.map((r) => r.speed))}::float8[],
        ${numberArray(reports.map((r) => r.accuracy))}::float8[],
        ${textArray(reports.map((r) => (r.footprint ? JSON.stringify(r.footprint) : null)))}::jsonb[],
        ${numberArray(m.map((x) => x.classification))}::smallint[], ${textArray(m.map((x) => x.releasableTo))}::text[],
        ${textArray(m.map((x) => x.caveats))}::text[])
        AS u(uid, observed_ms, lat, lon, alt, course, speed, accuracy, footprint, classification,
          releasable_to, caveats)
      ORDER BY u.uid, u.observed_ms
      ON CONFLICT (uid, observed_at) DO NOTHING`.execute(tx);
  },

  /**
   * Adds observations to the history with a binary COPY, the fast way; a repeated (uid, observedAt)
   * fails the whole statement (unique violation), and the caller then falls back to insertPositions.
   */
  async copyPositions(
    client: pg.ClientBase,
    positions: readonly { report: ValidReport; marking: Marking }[],
  ): Promise<void> {
    if (!positions.length) return;
    // Reports of a batch share few markings, though not the same objects: each is encoded once.
    const byObject = new Map<Marking, MarkingFields>();
    const byKey = new Map<string, MarkingFields>();
    const w = new CopyBinaryWriter(positions.length * 160);
    for (const { report: r, marking } of positions) {
      let m = byObject.get(marking);
      if (!m) {
        const k = `${marking.classification}|${marking.releasableTo.join()}|${marking.caveats?.join() ?? ''}`;
        m = byKey.get(k) ?? markingFields(marking);
        byKey.set(k, m);
        byObject.set(marking, m);
      }
      w.row(12).text(r.uid).timestamptz(r.observedAt).float8(r.lat).float8(r.lon);
      w.float8OrNull(r.alt).float8OrNull(r.course).float8OrNull(r.speed).float8OrNull(r.accuracy);
      if (r.footprint) w.jsonb(JSON.stringify(r.footprint));
      else w.null();
      w.int16(m.classification).field(m.releasableTo).field(m.caveats);
    }
    await copyBinary(
      client,
      `track_positions (uid, observed_at, lat, lon, alt, course, speed, accuracy, footprint,
        classification, releasable_to, caveats)`,
      w.finish(),
    );
  },

  async get(tx: Tx, uid: string): Promise<TrackRow | undefined> {
    const r = await sql<TrackRow>`
      SELECT ${TRACK_COLUMNS} FROM tracks t JOIN organisations o ON o.id = t.organisation_id
      WHERE t.uid = ${uid}`.execute(tx);
    return r.rows[0];
  },

  /** Makes sure the daily history partitions from today - before to today + after exist (UTC). */
  async ensurePartitions(tx: Tx, before: number, after: number): Promise<number> {
    const r = await sql<{ made: number }>`
      SELECT concord_ensure_position_partitions(
        (now() AT TIME ZONE 'UTC')::date - ${before}::int, (now() AT TIME ZONE 'UTC')::date + ${after}::int) AS made`.execute(
      tx,
    );
    return r.rows[0]?.made ?? 0;
  },

  /** Drops the history of the days before today - keepDays (UTC); returns the partitions dropped. */
  async dropHistoryBefore(tx: Tx, keepDays: number): Promise<number> {
    const r = await sql<{ dropped: number }>`
      SELECT concord_drop_position_history((now() AT TIME ZONE 'UTC')::date - ${keepDays}::int) AS dropped`.execute(
      tx,
    );
    return r.rows[0]?.dropped ?? 0;
  },

  /** Observations of one track between two times, oldest first. */
  async history(tx: Tx, uid: string, from: Date, to: Date, limit: number): Promise<PositionRow[]> {
    const r = await sql<PositionRow>`
      SELECT uid, observed_at, received_at, lat, lon, alt, course, speed, accuracy, footprint,
        classification, releasable_to, caveats
      FROM track_positions
      WHERE uid = ${uid} AND observed_at >= ${from} AND observed_at <= ${to}
      ORDER BY observed_at
      LIMIT ${limit}`.execute(tx);
    return r.rows;
  },
};
