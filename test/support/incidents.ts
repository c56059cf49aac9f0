import { sql } from 'kysely';
import type { IncidentCategory } from '../../src/domain/incidents.js';
import type { Marking } from '../../src/domain/marking.js';
import type { Db } from '../../src/server/db/database.js';
import { markingToColumns } from '../../src/server/db/marking-columns.js';

export interface IncidentSeed {
  marking: Marking;
  title?: string;
  category?: IncidentCategory;
  subtype?: string;
  status?: string;
  observedAt?: Date;
  lon?: number;
  lat?: number;
  governorate?: string | null;
  accusedParty?: string;
  allegingParty?: string | null;
}

/**
 * An incident with one report, written straight to the tables as the system: for tests of what
 * reads incidents (evidence, reports, exports) without going through the workflow.
 */
export async function insertIncident(db: Db, o: IncidentSeed): Promise<{ id: string; number: string }> {
  const m = markingToColumns(o.marking);
  const at = o.observedAt ?? new Date();
  const lon = o.lon ?? 34.4;
  const lat = o.lat ?? 31.45;
  const category = o.category ?? 'fire-across-line';
  const subtype = o.subtype ?? 'small-arms';
  const accused = o.accusedParty ?? 'ISR';
  const alleging = o.allegingParty === undefined ? 'PSE' : o.allegingParty;
  const casualties = JSON.stringify({
    killedCivilians: 0,
    killedUnknown: 0,
    injuredCivilians: 1,
    injuredUnknown: 0,
  });
  return db.asSystem(async (tx) => {
    const r = await sql<{ id: string; number: string }>`
      INSERT INTO incidents (title, category, subtype, status, observed_at, time_precision, lon, lat,
        location_precision, governorate, alleging_party, accused_party, casualties,
        classification, releasable_to, caveats)
      VALUES (${o.title ?? 'Test incident'}, ${category}, ${subtype}, ${o.status ?? 'received'}, ${at},
        'minute', ${lon}, ${lat}, 'exact', ${o.governorate === undefined ? 'Deir al-Balah' : o.governorate},
        ${alleging}, ${accused}, ${casualties}::jsonb,
        ${m.classification}, ${m.releasable_to}, ${m.caveats})
      RETURNING id, number`.execute(tx);
    const row = r.rows[0]!;
    await sql`
      INSERT INTO incident_reports (incident_id, reporter_kind, alleging_party, accused_party, observed_at,
        time_precision, location, lon, lat, location_precision, category, subtype, casualties, narrative,
        classification, releasable_to, caveats)
      VALUES (${row.id}, 'party', ${alleging}, ${accused}, ${at}, 'minute',
        ${JSON.stringify({ type: 'Point', coordinates: [lon, lat] })}::jsonb, ${lon}, ${lat}, 'exact',
        ${category}, ${subtype}, ${casualties}::jsonb, 'Seeded for a test.',
        ${m.classification}, ${m.releasable_to}, ${m.caveats})`.execute(tx);
    await sql`
      INSERT INTO incident_actions (incident_id, action, to_status, version, classification, releasable_to, caveats)
      VALUES (${row.id}, 'received', 'received', 1, ${m.classification}, ${m.releasable_to}, ${m.caveats})`.execute(
      tx,
    );
    return row;
  });
}
