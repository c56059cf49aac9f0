import { sql } from 'kysely';
import type { AlertRule } from '../../../domain/alerts.js';
import type { BBox } from '../../../domain/geometry.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

export interface ZoneVersionRow extends MarkingColumns {
  zone_id: string;
  version: number;
  name: string;
  kind: string;
  geometry: unknown;
  valid_from: Date;
  valid_to: Date | null;
  description: string | null;
  properties: Record<string, unknown>;
  /** null: the defaults of the kind. */
  alert_rules: AlertRule[] | null;
  deleted: boolean;
  created_by_name: string | null;
  created_at: Date;
}

export interface ZoneHeaderRow extends MarkingColumns {
  id: string;
  head_version: number;
  deleted_at: Date | null;
}

export interface NewZoneVersion extends MarkingColumns {
  zoneId: string;
  version: number;
  name: string;
  kind: string;
  geometry: unknown;
  bbox: BBox | null;
  validFrom: Date;
  validTo: Date | null;
  description: string | null;
  properties: Record<string, unknown>;
  /** null or absent: the defaults of the kind. */
  alertRules?: AlertRule[] | null;
  deleted: boolean;
  createdBy: string;
}

export interface ZoneFilter {
  at: Date;
  bbox?: BBox;
  nameLike?: string;
  kinds?: string[];
  limit: number;
}

const boxLiteral = (b: BBox) => `(${b[2]},${b[3]}),(${b[0]},${b[1]})`;

const VERSION_COLUMNS = sql`v.zone_id, v.version, v.name, v.kind, v.geometry, v.valid_from, v.valid_to, v.description,
  v.properties, v.alert_rules, v.deleted, v.classification, v.releasable_to, v.caveats, v.created_at,
  (SELECT username FROM users u WHERE u.id = v.created_by) AS created_by_name`;

export const zonesStore = {
  /** The version in force at `at` of every zone the viewer may see. */
  async listInForce(tx: Tx, f: ZoneFilter): Promise<ZoneVersionRow[]> {
    const r = await sql<ZoneVersionRow>`
      SELECT ${VERSION_COLUMNS}
      FROM zones z
      JOIN LATERAL (
        SELECT * FROM zone_versions v
        WHERE v.zone_id = z.id AND v.valid_from <= ${f.at} AND (v.valid_to IS NULL OR v.valid_to > ${f.at})
        ORDER BY v.version DESC LIMIT 1
      ) v ON true
      WHERE NOT v.deleted
        ${f.bbox ? sql`AND v.bbox && ${boxLiteral(f.bbox)}::box` : sql``}
        ${f.nameLike ? sql`AND lower(v.name) LIKE ${`%${escapeLike(f.nameLike.toLowerCase())}%`}` : sql``}
        ${f.kinds?.length ? sql`AND v.kind = ANY(${f.kinds})` : sql``}
      ORDER BY v.name, v.zone_id
      LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  async countInForce(tx: Tx, at: Date): Promise<Record<string, number>> {
    const r = await sql<{ kind: string; n: string }>`
      SELECT v.kind, count(*)::text AS n FROM zones z
      JOIN LATERAL (
        SELECT * FROM zone_versions v
        WHERE v.zone_id = z.id AND v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at})
        ORDER BY v.version DESC LIMIT 1
      ) v ON true
      WHERE NOT v.deleted GROUP BY v.kind`.execute(tx);
    return Object.fromEntries(r.rows.map((x) => [x.kind, Number(x.n)]));
  },

  async versionInForce(tx: Tx, id: string, at: Date): Promise<ZoneVersionRow | undefined> {
    const r = await sql<ZoneVersionRow>`
      SELECT ${VERSION_COLUMNS} FROM zones z JOIN zone_versions v ON v.zone_id = z.id
      WHERE z.id = ${id} AND v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at})
      ORDER BY v.version DESC LIMIT 1`.execute(tx);
    return r.rows[0];
  },

  async headVersion(tx: Tx, id: string): Promise<ZoneVersionRow | undefined> {
    const r = await sql<ZoneVersionRow>`
      SELECT ${VERSION_COLUMNS} FROM zones z JOIN zone_versions v ON v.zone_id = z.id AND v.version = z.head_version
      WHERE z.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  /**
   * Zones with a validity boundary in (since, now] that was set ahead of time (at least a second
   * after it was recorded): edits that take effect at once were announced when they were made.
   */
  async scheduledChanges(tx: Tx, since: Date, now: Date): Promise<string[]> {
    const r = await sql<{ zone_id: string }>`
      SELECT DISTINCT zone_id FROM zone_versions
      WHERE (valid_from > ${since} AND valid_from <= ${now} AND valid_from > created_at + interval '1 second')
         OR (valid_to > ${since} AND valid_to <= ${now} AND valid_to > created_at + interval '1 second')`.execute(
      tx,
    );
    return r.rows.map((x) => x.zone_id);
  },

  async history(tx: Tx, id: string): Promise<ZoneVersionRow[]> {
    const r = await sql<ZoneVersionRow>`
      SELECT ${VERSION_COLUMNS} FROM zones z JOIN zone_versions v ON v.zone_id = z.id
      WHERE z.id = ${id} ORDER BY v.version`.execute(tx);
    return r.rows;
  },

  /** Locks the zone's header row for an edit; undefined when missing or not released to the viewer. */
  async lockHeader(tx: Tx, id: string): Promise<ZoneHeaderRow | undefined> {
    const r = await sql<ZoneHeaderRow>`
      SELECT id, head_version, deleted_at, classification, releasable_to, caveats FROM zones WHERE id = ${id} FOR UPDATE`.execute(
      tx,
    );
    return r.rows[0];
  },

  async insertHeader(tx: Tx, m: MarkingColumns): Promise<string> {
    const r = await tx
      .insertInto('zones')
      .values({ head_version: 1, ...m })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  },

  async updateHeader(
    tx: Tx,
    id: string,
    headVersion: number,
    m: MarkingColumns,
    deleted: boolean,
  ): Promise<void> {
    await tx
      .updateTable('zones')
      .set({
        head_version: headVersion,
        ...m,
        updated_at: sql`now()`,
        deleted_at: deleted ? sql`now()` : null,
      })
      .where('id', '=', id)
      .execute();
  },

  async insertVersion(tx: Tx, v: NewZoneVersion): Promise<void> {
    await tx
      .insertInto('zone_versions')
      .values({
        zone_id: v.zoneId,
        version: v.version,
        name: v.name,
        kind: v.kind,
        geometry: v.geometry === null ? null : JSON.stringify(v.geometry),
        bbox: v.bbox ? boxLiteral(v.bbox) : null,
        valid_from: v.validFrom,
        valid_to: v.validTo,
        description: v.description,
        properties: JSON.stringify(v.properties),
        alert_rules: v.alertRules == null ? null : JSON.stringify(v.alertRules),
        deleted: v.deleted,
        classification: v.classification,
        releasable_to: v.releasable_to,
        caveats: v.caveats,
        created_by: v.createdBy,
      })
      .execute();
  },
};

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}
