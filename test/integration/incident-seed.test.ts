import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { insertIncident } from '../support/incidents.js';

describe('incident tables under row-level security', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('show an incident only to viewers it is released to', async () => {
    const { id, number } = await insertIncident(t.db, {
      marking: { classification: 'RESTRICTED', releasableTo: ['USA', 'PSE'] },
    });
    expect(Number(number)).toBeGreaterThan(0);
    const count = (principals: string[]) =>
      t.db.asViewer({ clearance: 'SECRET', principals, caveats: [] }, async (tx) => {
        const r = await sql<{ n: string }>`SELECT
          (SELECT count(*) FROM incidents WHERE id = ${id}) + (SELECT count(*) FROM incident_reports WHERE incident_id = ${id})
          + (SELECT count(*) FROM incident_actions WHERE incident_id = ${id}) AS n`.execute(tx);
        return Number(r.rows[0]!.n);
      });
    expect(await count(['USA', 'USA-CMCC'])).toBe(3);
    expect(await count(['PSE', 'PSE-LO'])).toBe(3);
    expect(await count(['CAN', 'CAN-MIL'])).toBe(0);
  });
});
