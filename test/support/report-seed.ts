import { sql } from 'kysely';
import type { Marking } from '../../src/domain/marking.js';
import type { Viewer } from '../../src/domain/viewer.js';
import type { Db } from '../../src/server/db/database.js';
import { identitiesStore, toViewer } from '../../src/server/modules/identities/index.js';
import { type IncidentSeed, insertIncident } from './incidents.js';

export const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
export const USA_GBR: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };

export async function viewerOf(db: Db, username: string): Promise<Viewer> {
  const row = await identitiesStore.findUserByName(db.app, username);
  if (!row) throw new Error(`no user ${username}`);
  return toViewer(row);
}

export interface ReportSeed extends IncidentSeed {
  finding?: string;
  rationale?: string;
  killed?: number;
  placeName?: string;
}

/** insertIncident, then the assessment, casualties and place name a report or export shows. */
export async function seedIncident(db: Db, o: ReportSeed): Promise<{ id: string; number: string }> {
  const row = await insertIncident(db, o);
  await db.asSystem(async (tx) => {
    if (o.finding)
      await sql`UPDATE incidents SET finding = ${o.finding}, rationale = ${o.rationale ?? null},
        assessed_at = now() WHERE id = ${row.id}`.execute(tx);
    if (o.killed)
      await sql`UPDATE incidents SET casualties = jsonb_set(casualties, '{killedCivilians}', to_jsonb(${o.killed}::int))
        WHERE id = ${row.id}`.execute(tx);
    if (o.placeName)
      await sql`UPDATE incident_reports SET place_name = ${o.placeName} WHERE incident_id = ${row.id}`.execute(
        tx,
      );
  });
  return row;
}
