import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertFeature } from '../../src/domain/alert-status.js';
import type { AlertCandidate } from '../../src/domain/alerts.js';
import type { IncidentDetail, IncidentFeature } from '../../src/domain/incidents.js';
import type { Marking } from '../../src/domain/marking.js';
import type { Affiliation, TrackKind } from '../../src/domain/tracks.js';
import type { ZoneKind } from '../../src/domain/zones.js';
import { automaticIncidents } from '../../src/server/modules/incidents/index.js';
import { candidate } from '../support/alerts.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };

let s: TestServer;
let planner: Client;

beforeAll(async () => {
  s = await startTestServer();
  planner = await Client.login(s.app, 'usa.planner');
});
afterAll(() => s?.close());

function alertOf(
  marking: Marking,
  o: {
    zoneKind: ZoneKind;
    trackKind: TrackKind;
    trigger: 'cross' | 'enter' | 'exit';
    affiliation?: Affiliation;
    lon?: number;
    lat?: number;
  },
): AlertCandidate {
  const c = candidate(marking, { trigger: o.trigger, lon: o.lon ?? 34.33, lat: o.lat ?? 31.35 });
  return {
    ...c,
    track: { ...c.track, kind: o.trackKind, affiliation: o.affiliation ?? 'unknown' },
    zone: { ...c.zone, kind: o.zoneKind, name: 'Withdrawal line (test)' },
  };
}

async function incidentFor(
  c: Client,
  alertId: string,
  timeoutMs = 5000,
): Promise<IncidentFeature | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = (await c.get('/api/v1/incidents?limit=5000&category=incursion')).json<{
      features: IncidentFeature[];
    }>();
    const f = list.features.find((x) => x.properties.sourceAlertId === alertId);
    if (f || Date.now() > deadline) return f;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('automatic incidents', () => {
  it('opens a triaged incursion for a ground vehicle crossing the withdrawal line', async () => {
    const [alert] = await s.alerts.raise([
      alertOf(USA, { zoneKind: 'withdrawal-line', trackKind: 'vehicle', trigger: 'cross' }),
    ]);
    const f = await incidentFor(planner, alert!.id);
    expect(f).toBeDefined();
    expect(f!.properties).toMatchObject({
      status: 'triaged',
      category: 'incursion',
      subtype: 'ground-vehicle',
      accusedParty: 'UNKNOWN',
      allegingParty: null,
      sourceAlertId: alert!.id,
      markingText: 'RESTRICTED//REL TO USA',
      governorate: 'Khan Younis',
      version: 2,
      reportCount: 1,
    });
    expect(f!.geometry.coordinates).toEqual(alert!.geometry.coordinates);
    const d = (await planner.get(`/api/v1/incidents/${f!.id}`)).json<IncidentDetail>();
    expect(d.reports[0]).toMatchObject({
      reporterKind: 'sensor',
      narrative: alert!.properties.summary,
      submittedBy: 'system',
    });
    expect(d.timeline).toEqual([
      expect.objectContaining({ action: 'received', to: 'received', actor: null, version: 1 }),
      expect.objectContaining({ action: 'triage', from: 'received', to: 'triaged', actor: null, version: 2 }),
    ]);
    // Not released to Canada, like its alert.
    const can = await Client.login(s.app, 'can.viewer');
    expect((await can.get(`/api/v1/incidents/${f!.id}`)).statusCode).toBe(404);
  });

  it('opens personnel incursions for teams entering a buffer zone; nothing for other alerts or friendly and neutral tracks', async () => {
    const raised = await s.alerts.raise([
      alertOf(ALL, { zoneKind: 'buffer-zone', trackKind: 'team', trigger: 'enter' }),
      alertOf(ALL, { zoneKind: 'buffer-zone', trackKind: 'vehicle', trigger: 'exit' }),
      alertOf(ALL, { zoneKind: 'humanitarian-zone', trackKind: 'vehicle', trigger: 'enter' }),
      alertOf(ALL, { zoneKind: 'ceasefire-line', trackKind: 'uav', trigger: 'cross' }),
      // An aid convoy through a crossing moves by arrangement.
      alertOf(ALL, {
        zoneKind: 'withdrawal-line',
        trackKind: 'convoy',
        trigger: 'cross',
        affiliation: 'neutral',
      }),
      alertOf(ALL, { zoneKind: 'buffer-zone', trackKind: 'unit', trigger: 'enter', affiliation: 'friend' }),
    ]);
    expect(raised).toHaveLength(6);
    const team = raised.find((a) => a.properties.trackKind === 'team')!;
    const f = await incidentFor(planner, team.id);
    expect(f?.properties).toMatchObject({ subtype: 'personnel', status: 'triaged' });
    for (const a of raised.filter((x) => x !== team))
      expect(await incidentFor(planner, a.id, 300)).toBeUndefined();
  });

  it('opens one when a reported vehicle crosses the demo withdrawal line (tracks → geofence → alerts)', async () => {
    const monitor = await Client.login(s.app, 'usa.monitor');
    const uid = `veh-auto-${process.pid}`;
    const t0 = Date.now() - 20_000;
    // North-west of the line (inside the strip), then south-east of it (the border side).
    for (const [i, lon, lat] of [
      [0, 34.39, 31.45],
      [1, 34.41, 31.43],
    ] as const) {
      const r = await monitor.post('/api/v1/tracks/reports', [
        {
          uid,
          kind: 'vehicle',
          affiliation: 'hostile',
          callsign: 'AUTO 1',
          observedAt: new Date(t0 + i * 5000).toISOString(),
          lon,
          lat,
          marking: ALL,
        },
      ]);
      expect(r.statusCode).toBe(202);
    }
    let alert: AlertFeature | undefined;
    for (let i = 0; i < 50 && !alert; i++) {
      const list = (await planner.get(`/api/v1/alerts?trackUid=${uid}`)).json<{ features: AlertFeature[] }>();
      alert = list.features.find((a) => a.properties.zoneKind === 'withdrawal-line');
      if (!alert) await new Promise((r) => setTimeout(r, 100));
    }
    expect(alert?.properties.trigger).toBe('cross');
    const f = await incidentFor(planner, alert!.id);
    expect(f?.properties).toMatchObject({
      status: 'triaged',
      subtype: 'ground-vehicle',
      markingText: 'UNCLASSIFIED//REL TO ALL',
    });
    expect(f?.properties.lineSide).toMatchObject({
      zoneName: 'Withdrawal line (illustrative)',
      side: 'left',
    });
  });

  it('opens one incident per alert, and a failure is logged, never thrown', async () => {
    const errors: unknown[] = [];
    const auto = automaticIncidents(s.database.db, { error: (o) => errors.push(o), info: () => undefined });
    const [alert] = await s.alerts.raise([
      alertOf(ALL, { zoneKind: 'withdrawal-line', trackKind: 'convoy', trigger: 'cross' }),
    ]);
    const first = await incidentFor(planner, alert!.id);
    expect(first).toBeDefined();
    expect(await auto.open([alert!])).toEqual([]);
    // An alert that was never stored: the incident cannot reference it.
    const ghost: AlertFeature = { ...alert!, id: '00000000-0000-4000-8000-0000000000aa' };
    expect(await auto.open([ghost])).toEqual([]);
    expect(errors).toHaveLength(1);
    const list = (await planner.get('/api/v1/incidents?limit=5000')).json<{ features: IncidentFeature[] }>();
    expect(list.features.filter((x) => x.properties.sourceAlertId === alert!.id)).toHaveLength(1);
  });
});
