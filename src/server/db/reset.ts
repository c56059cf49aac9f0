import { sql } from 'kysely';
import type { Db } from './database.js';

/** Empties every table of Concord's data (schema and migrations stay). Only `concord demo reset` calls it. */
export async function deleteAllData(db: Db): Promise<void> {
  await sql`TRUNCATE evidence_custody, evidence, incident_actions, incident_reports, incidents, events,
    track_positions, tracks, zone_versions, zones, api_tokens, sessions, users, organisations CASCADE`.execute(
    db.system,
  );
  // Not owned by a column, so TRUNCATE does not restart it: a fresh demo numbers from INC-000001.
  await sql`ALTER SEQUENCE incident_number_seq RESTART`.execute(db.system);
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(db.system);
  return (r.rows[0]?.n ?? 0) > 0;
}
