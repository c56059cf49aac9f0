import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAlertRules } from '../../src/domain/alert-rules.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import {
  fenceZoneFromFeature,
  GeofenceEngine,
  loadFenceZones,
} from '../../src/server/modules/geofence/index.js';
import { squareZone } from '../support/fixtures.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const OPEN = { classification: 'UNCLASSIFIED' as const, releasableTo: ['ALL'] };
const SECRETISH = { classification: 'RESTRICTED' as const, releasableTo: ['USA'] };

let s: TestServer;
let usa: Client;

beforeAll(async () => {
  s = await startTestServer();
  usa = await Client.login(s.app, 'usa.planner');
});
afterAll(() => s.close());

describe('zone alert rules and the geofence loader', () => {
  it('stores a zone’s own rules, follows the defaults when none are set, and keeps rules across an edit', async () => {
    const rules = [{ trigger: 'approach' as const, distanceM: 250, severity: 'critical' as const }];
    const own = (
      await usa.post('/api/v1/zones', { ...squareZone('Rules own', OPEN), alertRules: rules })
    ).json<ZoneFeature>();
    expect(own.properties.alertRules).toEqual(rules);
    expect(own.properties.alertRulesDefault).toBe(false);
    const dflt = (
      await usa.post('/api/v1/zones', squareZone('Rules default', OPEN, 34.45))
    ).json<ZoneFeature>();
    expect(dflt.properties.alertRules).toEqual(defaultAlertRules('restricted-area'));
    expect(dflt.properties.alertRulesDefault).toBe(true);

    // An edit that does not mention rules keeps them; null goes back to the defaults.
    const kept = await usa.put(`/api/v1/zones/${own.id}`, { ...squareZone('Rules own 2', OPEN), version: 1 });
    expect(kept.json<ZoneFeature>().properties.alertRules).toEqual(rules);
    const reset = await usa.put(`/api/v1/zones/${own.id}`, {
      ...squareZone('Rules own 3', OPEN),
      version: 2,
      alertRules: null,
    });
    expect(reset.json<ZoneFeature>().properties.alertRulesDefault).toBe(true);

    const bad = await usa.post('/api/v1/zones', {
      ...squareZone('Rules bad', OPEN),
      alertRules: [{ trigger: 'approach' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('distanceM');
  });

  it('loads every version in force now or later, whoever may see it, and not deleted zones', async () => {
    const hidden = (
      await usa.post('/api/v1/zones', squareZone('Loader hidden', SECRETISH, 34.3))
    ).json<ZoneFeature>();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await usa.put(`/api/v1/zones/${hidden.id}`, {
      ...squareZone('Loader hidden v2', SECRETISH, 34.31),
      version: 1,
      validFrom: later,
    });
    const gone = (
      await usa.post('/api/v1/zones', squareZone('Loader gone', OPEN, 34.32))
    ).json<ZoneFeature>();
    expect((await usa.del(`/api/v1/zones/${gone.id}?version=1`)).statusCode).toBe(204);

    const zones = await loadFenceZones(s.database.db);
    const mine = zones.filter((z) => z.id === hidden.id).map((z) => [z.version, z.name, z.validTo === null]);
    expect(mine).toEqual([
      [1, 'Loader hidden', true],
      [2, 'Loader hidden v2', true],
    ]);
    const deleted = zones.filter((z) => z.id === gone.id);
    expect(deleted.every((z) => z.validTo !== null && z.validTo <= Date.now())).toBe(true);
    expect(zones.find((z) => z.name === 'Loader hidden')?.marking).toEqual(SECRETISH);
    // The demo's zones are there too, with rules from their kind.
    expect(zones.length).toBeGreaterThan(5);

    // The engine takes them, and a live zone Feature as the outbox carries it.
    const engine = new GeofenceEngine();
    engine.setZones(zones);
    engine.prepare();
    const feature = (await usa.get(`/api/v1/zones/${hidden.id}`)).json<ZoneFeature>();
    const fz = fenceZoneFromFeature(feature);
    expect(fz).toMatchObject({ id: hidden.id, version: 2, kind: 'restricted-area' });
    engine.upsertZone(fz);
    expect(engine.zoneCount).toBe(new Set(zones.map((z) => z.id)).size);
  });
});
