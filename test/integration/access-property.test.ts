import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aggregateMarking,
  type Clearance,
  canSee,
  type Marking,
  normaliseMarking,
} from '../../src/domain/marking.js';
import type { Viewer } from '../../src/domain/viewer.js';
import type { ZoneFeature, ZoneKind } from '../../src/domain/zones.js';
import { columnsToMarking } from '../../src/server/db/marking-columns.js';
import { identitiesService } from '../../src/server/modules/identities/index.js';
import { zonesService } from '../../src/server/modules/zones/index.js';
import { zonesStore } from '../../src/server/modules/zones/zones.store.js';
import { DEMO_PASSWORD } from '../support/constants.js';
import { squareZone } from '../support/fixtures.js';
import { LiveClient } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

/**
 * Whatever zones exist, with whatever markings, every way a viewer can read them (list, counts,
 * one by one, export, the live feed) shows exactly the zones canSee allows, and nothing of the
 * others: not their id, not their name.
 */

const PRINCIPALS = [
  'USA',
  'GBR',
  'FRA',
  'CAN',
  'ISR',
  'PSE',
  'OCHA',
  'MEDRELIEF',
  'USA-CMCC',
  'GBR-PLAN',
  'WFP',
];
const CAVEATS = ['ORCON', 'NOFORN', 'MEDICAL'];
const KINDS: ZoneKind[] = ['buffer-zone', 'humanitarian-zone', 'sector', 'restricted-area', 'facility-area'];
const VIEWERS = [
  'usa.planner',
  'gbr.planner',
  'usa.monitor',
  'fra.analyst',
  'un.logistics',
  'ngo.field',
  'liaison.isr',
  'liaison.pal',
  'can.viewer',
  'cav.gbr',
  'cav.ocha',
  'cav.usa',
];
/** Users beyond the demo ones, so that caveats matter. */
const EXTRA_USERS = [
  {
    username: 'cav.gbr',
    organisation: 'GBR-PLAN',
    roles: ['analyst'],
    clearance: 'SECRET',
    caveats: ['ORCON'],
  },
  {
    username: 'cav.ocha',
    organisation: 'OCHA',
    roles: ['humanitarian'],
    clearance: 'CONFIDENTIAL',
    caveats: ['MEDICAL'],
  },
  {
    username: 'cav.usa',
    organisation: 'USA-CMCC',
    roles: ['monitor'],
    clearance: 'SECRET',
    caveats: ['ORCON', 'NOFORN'],
  },
  // Writes through REST whatever it may: released to USA, any classification and caveat.
  {
    username: 'prop.writer',
    organisation: 'USA-CMCC',
    roles: ['planner'],
    clearance: 'SECRET',
    caveats: CAVEATS,
  },
];

/** Each viewer's nation and organisation codes, as the server derives them (checked in beforeAll). */
const PRINCIPALS_OF: Record<string, string[]> = {
  'usa.planner': ['USA', 'USA-CMCC'],
  'gbr.planner': ['GBR', 'GBR-PLAN'],
  'usa.monitor': ['USA', 'USA-CMCC'],
  'fra.analyst': ['FRA', 'FRA-MIL'],
  'un.logistics': ['OCHA'],
  'ngo.field': ['MEDRELIEF'],
  'liaison.isr': ['ISR', 'ISR-LO'],
  'liaison.pal': ['PSE', 'PSE-LO'],
  'can.viewer': ['CAN', 'CAN-MIL'],
  'cav.gbr': ['GBR', 'GBR-PLAN'],
  'cav.ocha': ['OCHA'],
  'cav.usa': ['USA', 'USA-CMCC'],
};

/**
 * Markings mostly released to some of the chosen viewers, so that clearance and caveats decide
 * as often as releasability does; sometimes to all, sometimes to others only.
 */
function markingArb(near: string[]): fc.Arbitrary<Marking> {
  return fc
    .record({
      classification: fc.constantFrom('UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET' as const),
      releasableTo: fc.oneof(
        { weight: 1, arbitrary: fc.constant<string[]>(['ALL']) },
        { weight: 1, arbitrary: fc.subarray(PRINCIPALS, { minLength: 1, maxLength: 3 }) },
        {
          weight: 4,
          arbitrary: fc
            .tuple(
              fc.subarray(near, { minLength: 1, maxLength: Math.min(2, near.length) }),
              fc.subarray(PRINCIPALS, { maxLength: 1 }),
            )
            .map(([a, b]) => [...a, ...b]),
        },
      ),
      caveats: fc.oneof(
        { weight: 1, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.subarray(CAVEATS, { minLength: 1, maxLength: 2 }) },
      ),
    })
    .map((m) => (m.caveats.length ? m : { classification: m.classification, releasableTo: m.releasableTo }));
}

const scenarioArb = fc.shuffledSubarray(VIEWERS, { minLength: 2, maxLength: 4 }).chain((viewers) => {
  const marking = markingArb([...new Set(viewers.flatMap((v) => PRINCIPALS_OF[v]!))]);
  return fc.record({
    viewers: fc.constant(viewers),
    before: fc.array(fc.tuple(marking, fc.constantFrom(...KINDS)), { maxLength: 4 }),
    after: fc.array(fc.tuple(marking, fc.constantFrom(...KINDS)), { maxLength: 4 }),
    changes: fc.array(fc.record({ target: fc.nat(), marking, lon: fc.integer({ min: 0, max: 9 }) }), {
      maxLength: 4,
    }),
    deletions: fc.array(fc.nat(), { maxLength: 2 }),
  });
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Op {
  id: string;
  kind: 'upsert' | 'delete';
  marking: Marking;
  version: number;
  name: string;
}
interface Tracked {
  id: string;
  name: string;
  kind: ZoneKind;
  marking: Marking;
  version: number;
  deleted: boolean;
}
const WRITER: Clearance = { clearance: 'SECRET', principals: ['USA', 'USA-CMCC'], caveats: CAVEATS };

interface Actor {
  client: Client;
  clearance: Clearance;
}

let s: TestServer;
let base: string;
let omni: Viewer;
let writer: Client;
const actors = new Map<string, Actor>();
let run = 0;
const seen = {
  visibleToHidden: 0,
  hiddenToVisible: 0,
  hiddenIds: 0,
  snapshotFeatures: 0,
  upserts: 0,
  deletes: 0,
};

beforeAll(async () => {
  s = await startTestServer();
  base = await s.listen();
  const identities = identitiesService(s.database.db, 12);
  for (const u of EXTRA_USERS) await identities.addUser({ ...u, password: DEMO_PASSWORD });
  writer = await Client.login(s.app, 'prop.writer');
  const writerMe = (await writer.get('/api/v1/auth/me')).json<
    Viewer & { id: string; organisation: string }
  >();
  // Creates any marking at all, through the zones service as the API would, on behalf of prop.writer.
  omni = {
    userId: writerMe.id,
    username: 'prop.writer',
    displayName: 'Property writer',
    organisationId: '',
    organisationCode: 'USA-CMCC',
    nation: 'USA',
    roles: ['planner'],
    clearance: 'SECRET',
    principals: [...new Set([...PRINCIPALS, ...Object.values(PRINCIPALS_OF).flat()])],
    caveats: CAVEATS,
  };
  await Promise.all(
    VIEWERS.map(async (username) => {
      const client = await Client.login(s.app, username);
      const me = (await client.get('/api/v1/auth/me')).json<Clearance>();
      actors.set(username, {
        client,
        clearance: { clearance: me.clearance, principals: me.principals, caveats: me.caveats },
      });
    }),
  );
  for (const v of VIEWERS) expect(actors.get(v)!.clearance.principals, v).toEqual(PRINCIPALS_OF[v]);
  expect(actors.get('cav.usa')!.clearance.caveats).toEqual(['ORCON', 'NOFORN']);
});
afterAll(() => s.close());

/** Every zone in force, read without row-level security: the oracle's ground truth. */
async function truth(): Promise<Map<string, { marking: Marking; kind: string }>> {
  const rows = await s.database.db.asSystem((tx) =>
    zonesStore.listInForce(tx, { at: new Date(), limit: 1_000_000 }),
  );
  return new Map(rows.map((r) => [r.zone_id, { marking: columnsToMarking(r), kind: r.kind }]));
}

function visibleIds(t: Map<string, { marking: Marking }>, c: Clearance): Set<string> {
  return new Set([...t].filter(([, z]) => canSee(c, z.marking)).map(([id]) => id));
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

/** Is `actual` what the hub may send for `expected`: the same, or with earlier unsent ones coalesced away? */
function coalescedFrom(actual: string[], expected: string[]): boolean {
  if (expected.length === 0) return actual.length === 0;
  if (actual.at(-1) !== expected.at(-1)) return false;
  let i = 0;
  for (const a of actual) {
    while (i < expected.length && expected[i] !== a) i++;
    if (i === expected.length) return false;
    i++;
  }
  return true;
}

async function runScenario(sc: Scenario): Promise<void> {
  const r = ++run;
  const zones = zonesService(s.database.db);
  const tracked: Tracked[] = [];
  const ops: Op[] = [];
  const names = new Map<string, Marking>(); // every name written, with the marking it was written under
  let n = 0;
  const fresh = () => `pz-${r}-${n++}-${Math.random().toString(36).slice(2, 10)}`;

  const create = async ([marking, kind]: [Marking, ZoneKind]) => {
    const name = fresh();
    const f = await zones.create(omni, { ...squareZone(name, marking, 34.3 + (n % 10) * 0.01), kind });
    const z = { id: f.id, name, kind, marking, version: 1, deleted: false };
    tracked.push(z);
    names.set(name, marking);
    ops.push({ id: z.id, kind: 'upsert', marking, version: 1, name });
  };

  for (const z of sc.before) await create(z);
  // Only what happens after the viewers subscribe is compared with the live feed.
  ops.length = 0;
  await s.relay.wake();
  const t0 = await truth();

  // One live subscriber per viewer, each checked against the truth before anything changes.
  const live = new Map<string, { c: LiveClient; snapshotIndex: number; snapshot: Set<string> }>();
  try {
    for (const v of sc.viewers) {
      const a = actors.get(v)!;
      const c = await LiveClient.subscribed(base, { cookie: a.client.sessionCookie });
      const snap = await c.waitFor('snapshot');
      const ids = (snap.msg.features as ZoneFeature[]).map((f) => f.id);
      expect(sorted(ids), `${v} snapshot`).toEqual(sorted(visibleIds(t0, a.clearance)));
      for (const f of snap.msg.features as ZoneFeature[]) {
        expect(canSee(a.clearance, f.properties.marking), `${v} snapshot ${f.id}`).toBe(true);
        expect(f.properties.marking).toEqual(t0.get(f.id)!.marking);
      }
      seen.snapshotFeatures += ids.length;
      live.set(v, { c, snapshotIndex: snap.index, snapshot: new Set(ids) });
    }

    for (const z of sc.after) await create(z);
    for (const ch of sc.changes) {
      if (tracked.length === 0) break;
      const z = tracked[ch.target % tracked.length]!;
      if (z.deleted) continue;
      const name = fresh();
      const input = { ...squareZone(name, ch.marking, 34.3 + ch.lon * 0.01), kind: z.kind };
      // Through REST when prop.writer may; otherwise REST must refuse (403 for a marking it may not
      // write, decided before the zone is looked up; 404 for a zone it may not see) and the service
      // does it for a writer who may.
      const res = await writer.put(`/api/v1/zones/${z.id}`, { ...input, version: z.version });
      const want = !canSee(WRITER, ch.marking) ? 403 : !canSee(WRITER, z.marking) ? 404 : 200;
      expect(res.statusCode, res.body).toBe(want);
      if (want !== 200) await zones.update(omni, z.id, z.version, input);
      z.version++;
      z.marking = ch.marking;
      z.name = name;
      names.set(name, ch.marking);
      ops.push({ id: z.id, kind: 'upsert', marking: ch.marking, version: z.version, name });
    }
    for (const d of sc.deletions) {
      if (tracked.length === 0) break;
      const z = tracked[d % tracked.length]!;
      if (z.deleted) continue;
      if (canSee(WRITER, z.marking)) {
        expect((await writer.del(`/api/v1/zones/${z.id}?version=${z.version}`)).statusCode).toBe(204);
      } else {
        await zones.remove(omni, z.id, z.version);
      }
      z.deleted = true;
      z.version++;
      ops.push({ id: z.id, kind: 'delete', marking: z.marking, version: z.version, name: z.name });
    }

    // A zone everyone sees, created last: once a viewer has it, every earlier change has arrived.
    const everyone: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
    const barrierName = fresh();
    const barrier = await zones.create(omni, squareZone(barrierName, everyone));
    names.set(barrierName, everyone);
    ops.push({ id: barrier.id, kind: 'upsert', marking: everyone, version: 1, name: barrierName });
    await Promise.all([...live.values()].map(({ c }) => c.waitFor('upsert', (m) => m.id === barrier.id)));
    const t1 = await truth();

    for (const [v, { c, snapshotIndex, snapshot }] of live) {
      const who = actors.get(v)!.clearance;
      const text = c.raw.join('\n');
      // The live feed: what arrived per zone is what the hub's rule gives, at most coalesced.
      const known = new Set(snapshot);
      const expected = new Map<string, string[]>();
      for (const op of ops) {
        const list = expected.get(op.id) ?? [];
        expected.set(op.id, list);
        if (op.kind === 'upsert' && canSee(who, op.marking)) {
          if (op.version > 1 && !known.has(op.id)) seen.hiddenToVisible++;
          known.add(op.id);
          list.push(`upsert ${op.version}`);
        } else if (known.delete(op.id)) {
          list.push('delete');
          if (op.kind === 'upsert') seen.visibleToHidden++;
        }
      }
      const state = new Set(snapshot);
      for (const m of c.messages.slice(snapshotIndex + 1)) {
        if (m.type === 'upsert') {
          const f = m.feature as ZoneFeature;
          expect(canSee(who, f.properties.marking), `${v} got ${m.id}`).toBe(true);
          const written = names.get(f.properties.name);
          expect(written && normaliseMarking(written), `${v} ${m.id} marking`).toEqual(f.properties.marking);
          state.add(m.id);
          seen.upserts++;
        } else if (m.type === 'delete') {
          // A delete may replace an upsert not yet sent; the zone must have been visible at some point.
          const once = state.has(m.id) || (expected.get(m.id) ?? []).some((x) => x.startsWith('upsert'));
          expect(once, `${v} told of the end of ${m.id}, never visible to it`).toBe(true);
          state.delete(m.id);
          seen.deletes++;
        }
      }
      for (const z of tracked) {
        const got = c
          .about(z.id, snapshotIndex + 1)
          .map((m) =>
            m.type === 'upsert' ? `upsert ${(m.feature as ZoneFeature).properties.version}` : 'delete',
          );
        const want = expected.get(z.id) ?? [];
        expect(
          coalescedFrom(got, want),
          `${v} on ${z.id}: got ${got.join(', ')}; rule gives ${want.join(', ')}`,
        ).toBe(true);
      }
      const visibleNow = visibleIds(t1, who);
      expect(sorted(state), `${v} live state`).toEqual(sorted(visibleNow));
      // Nothing of what the viewer may not see, anywhere in any message.
      for (const [name, marking] of names) {
        if (!canSee(who, marking))
          expect(text.includes(`"${name}"`), `${v} saw the name ${name}`).toBe(false);
      }
      for (const id of new Set([...t1.keys(), ...tracked.map((z) => z.id)])) {
        const everVisible = snapshot.has(id) || (expected.get(id) ?? []).length > 0;
        if (!everVisible) {
          expect(text.includes(id), `${v} saw the id ${id}`).toBe(false);
          seen.hiddenIds++;
        }
      }

      // REST: list, counts, one by one, history, export.
      const client = actors.get(v)!.client;
      const list = (await client.get('/api/v1/zones')).json<{
        features: ZoneFeature[];
        marking: Marking;
      }>();
      const listIds = list.features.map((f) => f.id);
      expect(sorted(listIds), `${v} list`).toEqual(sorted(visibleNow));
      expect(list.marking).toEqual(aggregateMarking(list.features.map((f) => f.properties.marking)));
      const counts = (await client.get('/api/v1/zones/counts')).json<Record<string, number>>();
      const wantCounts: Record<string, number> = {};
      for (const id of visibleNow) wantCounts[t1.get(id)!.kind] = (wantCounts[t1.get(id)!.kind] ?? 0) + 1;
      expect(counts, `${v} counts`).toEqual(wantCounts);
      const exported = (await client.get('/api/v1/zones/export')).json<{ features: ZoneFeature[] }>();
      expect(exported.features.map((f) => f.id)).toEqual(listIds);
      for (const z of tracked) {
        const one = await client.get(`/api/v1/zones/${z.id}`);
        const hist = await client.get(`/api/v1/zones/${z.id}/versions`);
        if (visibleNow.has(z.id)) {
          expect(one.statusCode, `${v} GET ${z.id}`).toBe(200);
          expect(one.json<ZoneFeature>().properties.name).toBe(z.name);
        } else {
          expect(one.statusCode, `${v} GET hidden ${z.id}`).toBe(404);
          expect(one.body).not.toContain(z.name);
        }
        if (!canSee(who, z.marking)) {
          expect(hist.statusCode, `${v} history of hidden ${z.id}`).toBe(404);
        } else {
          // History shows only the versions whose own marking the viewer may see.
          const versions = hist.json<ZoneFeature[]>();
          for (const h of versions) expect(canSee(who, h.properties.marking)).toBe(true);
        }
      }
    }
  } finally {
    await Promise.all([...live.values()].map(({ c }) => c.close()));
  }
}

describe('access: every read path shows exactly what canSee allows', () => {
  it('hides each demo zone a viewer may not see, one by one and in its history', async () => {
    const t = await truth();
    for (const v of VIEWERS) {
      const a = actors.get(v)!;
      for (const [id, z] of t) {
        if (canSee(a.clearance, z.marking)) continue;
        expect((await a.client.get(`/api/v1/zones/${id}`)).statusCode, `${v} ${id}`).toBe(404);
        expect((await a.client.get(`/api/v1/zones/${id}/versions`)).statusCode, `${v} ${id}`).toBe(404);
      }
    }
  });

  it('holds for random zones, markings, changes and viewers', async () => {
    const sure: Scenario = {
      // A zone everyone sees that becomes US-only SECRET: most viewers must get a delete, nothing more.
      before: [[{ classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }, 'sector']],
      after: [[{ classification: 'RESTRICTED', releasableTo: ['GBR'], caveats: ['ORCON'] }, 'buffer-zone']],
      changes: [
        { target: 0, marking: { classification: 'SECRET', releasableTo: ['USA'] }, lon: 3 },
        { target: 1, marking: { classification: 'RESTRICTED', releasableTo: ['ALL'] }, lon: 4 },
      ],
      deletions: [1],
      viewers: ['ngo.field', 'usa.planner', 'cav.gbr', 'gbr.planner'],
    };
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), {
      numRuns: 15,
      examples: [[sure]],
    });
    // The runs exercised what they claim to.
    expect(seen.visibleToHidden).toBeGreaterThan(0);
    expect(seen.hiddenToVisible).toBeGreaterThan(0);
    expect(seen.hiddenIds).toBeGreaterThan(0);
    expect(seen.upserts).toBeGreaterThan(0);
    expect(seen.deletes).toBeGreaterThan(0);
    // About 10 s on an idle machine; room for a loaded one.
  }, 120_000);
});
