import {
  CONSIGNMENT_MOVERS,
  CONSIGNMENT_TRANSITIONS,
  type ConsignmentState,
  ITEM_CATEGORIES,
  type ItemCategory,
} from '../domain/consignments.js';
import { bboxOf, type Geometry } from '../domain/geometry.js';
import type { Marking } from '../domain/marking.js';
import type { Viewer } from '../domain/viewer.js';
import type { Db } from '../server/db/database.js';
import { markingToColumns } from '../server/db/marking-columns.js';
import {
  consignmentEvents,
  consignmentsStore,
  convoysStore,
  type NewConsignment,
  toConsignment,
} from '../server/modules/consignments/index.js';
import {
  countsStore,
  crossingsService,
  crossingsStore,
  DAY_MS,
  dayOf,
  type NewCount,
} from '../server/modules/crossings/index.js';
import { recordEvents } from '../server/platform/events.js';

/**
 * Synthetic aid flow of the two weeks before the demo is loaded: invented, illustrative, never
 * operational. Crossings from the demo crossing zones (targets summing to 600 trucks a day), ~60
 * consignments walked through their states with backdated history, two convoys on the
 * simulator's convoy tracks, a week of counts from three sources, and one restricted crossing
 * whose owners of affected consignments are told. Bulk statements keep it well under a second.
 */

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const COALITION: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };

/** Daily truck targets by crossing zone name; they sum to DEFAULT_DAILY_TRUCK_TARGET (600). */
const TARGETS: Record<string, number> = {
  'Kerem Shalom': 250,
  Rafah: 150,
  Kissufim: 100,
  Zikim: 60,
  Erez: 40,
};

const HAPPY: ConsignmentState[] = [
  'registered',
  'cleared',
  'dispatched',
  'queued-at-crossing',
  'screened',
  'offloaded',
  'collected',
  'in-transit',
  'delivered',
];

/** Paths that do not end in delivery, with the reason each exceptional state carries. */
const DETOURS: { path: ConsignmentState[]; reasons: Partial<Record<ConsignmentState, string>> }[] = [
  {
    path: ['registered', 'rejected'],
    reasons: { rejected: 'Dual-use items (generator spare parts) not approved.' },
  },
  {
    path: ['registered', 'partially-cleared', 'dispatched', 'queued-at-crossing', 'screened', 'offloaded'],
    reasons: { 'partially-cleared': 'Water pumps held back for dual-use review; the rest cleared.' },
  },
  {
    path: ['registered', 'cleared', 'dispatched', 'queued-at-crossing', 'returned'],
    reasons: { returned: 'Screening found an undeclared item; the truck went back to Al-Arish.' },
  },
  {
    path: HAPPY.slice(0, 8).concat('partially-received'),
    reasons: { 'partially-received': '3 pallets damaged in transit; 2 missing at the warehouse.' },
  },
  {
    path: HAPPY.slice(0, 8).concat('intercepted'),
    reasons: { intercepted: 'Crowd stopped the trucks near the coastal road; the load was taken.' },
  },
];

const ITEMS: Record<ItemCategory, { description: string; unit: string }> = {
  food: { description: 'Food parcels', unit: 'parcels' },
  water: { description: 'Bottled water', unit: 'litres' },
  health: { description: 'Medical kits', unit: 'kits' },
  shelter: { description: 'Family tents', unit: 'tents' },
  fuel: { description: 'Diesel for hospital generators', unit: 'litres' },
  wash: { description: 'Hygiene kits', unit: 'kits' },
  education: { description: 'School-in-a-box kits', unit: 'kits' },
  other: { description: 'Kitchen sets', unit: 'sets' },
};

/** A small deterministic generator: the same demo every time apart from the clock. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

export interface DemoAidFlow {
  crossings: number;
  consignments: number;
  convoys: number;
  counts: number;
}

/** Who acts on each move: the centre's monitor, or the requesting organisation's user. */
function actorFor(to: ConsignmentState, owner: Viewer, centre: Viewer): string {
  return CONSIGNMENT_MOVERS[to] === 'centre' ? centre.userId : owner.userId;
}

export async function loadDemoAidFlow(
  db: Db,
  viewers: Map<string, Viewer>,
  now = new Date(),
): Promise<DemoAidFlow> {
  const admin = viewers.get('admin')!;
  const centre = viewers.get('usa.monitor')!;
  const owners: Record<string, Viewer> = {
    OCHA: viewers.get('un.logistics')!,
    MEDRELIEF: viewers.get('ngo.field')!,
    WFP: admin,
    AQUAAID: admin,
  };
  const rnd = random(20240601);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  const loaded = await db.asSystem(async (tx) => {
    const zones = await crossingsStore.crossingZones(tx);
    await crossingsStore.insertMany(
      tx,
      zones.map((z) => {
        const name = z.name.replace(/ crossing$/i, '');
        const [w, s, e, n] = bboxOf(z.geometry as Geometry);
        return {
          name,
          zone_id: z.id,
          lon: (w + e) / 2,
          lat: (s + n) / 2,
          daily_truck_target: TARGETS[name] ?? 0,
          ...markingToColumns(ALL),
        };
      }),
    );
    const crossings = await crossingsStore.list(tx);
    // Most aid goes through the big crossings.
    const weighted = crossings.flatMap((c) =>
      Array(Math.max(1, Math.round(c.daily_truck_target / 40))).fill(c),
    );
    const orgIds = new Map<string, string>();
    for (const code of Object.keys(owners)) {
      const o = await consignmentsStore.organisationByCode(tx, code);
      if (o) orgIds.set(code, o.id);
    }

    const rows: NewConsignment[] = [];
    for (let i = 0; i < 60; i++) {
      const code = pick(Object.keys(owners));
      const owner = owners[code]!;
      const crossing = pick(weighted);
      const registeredAt = now.getTime() - (13.8 - (i * 13.6) / 60) * DAY_MS;
      const detour = i % 9 === 4 ? DETOURS[((i / 9) % DETOURS.length) | 0] : undefined;
      const path = detour?.path ?? HAPPY;
      const actions: NewConsignment['actions'] = [];
      let t = registeredAt;
      for (const [k, state] of path.entries()) {
        if (k > 0) t += (3 + rnd() * 14) * 3_600_000;
        if (t > now.getTime() - 600_000) break;
        const from = k > 0 ? path[k - 1]! : null;
        if (from && !CONSIGNMENT_TRANSITIONS[from].includes(state))
          throw new Error(`demo path ${from}→${state}`);
        actions.push({
          from_state: from,
          to_state: state,
          reason: detour?.reasons[state] ?? null,
          actor: k === 0 ? owner.userId : actorFor(state, owner, centre),
          at: new Date(t).toISOString(),
        });
      }
      const trucks = 8 + Math.floor(rnd() * 40);
      const categories = [...new Set([pick(ITEM_CATEGORIES), pick(ITEM_CATEGORIES)])];
      const marking = i % 10 === 7 ? COALITION : ALL;
      rows.push({
        id: crypto.randomUUID(),
        reference: `${code}-${String(1000 + i)}`,
        requesting_organisation_id: orgIds.get(code)!,
        donor: pick(['ECHO', 'USAID', 'FCDO', 'CERF', 'Private donors']),
        corridor:
          crossing.name === 'Rafah'
            ? 'Egypt (Al-Arish)'
            : pick(['Jordan', 'Ashdod port', 'Egypt (Al-Arish)']),
        crossing_id: crossing.id,
        pallets: trucks * (22 + Math.floor(rnd() * 10)),
        tonnes: Math.round(trucks * (14 + rnd() * 8) * 10) / 10,
        trucks,
        import_job_id: null,
        created_by: marking === COALITION ? admin.userId : owner.userId,
        items: categories.map((category) => ({
          ...ITEMS[category],
          category,
          quantity: 100 + Math.floor(rnd() * 5000),
          dual_use: category === 'fuel',
        })),
        actions,
        ...markingToColumns(marking),
      });
    }
    await consignmentsStore.insertMany(tx, rows);

    // Two convoys on the simulator's convoy tracks, each carrying consignments under way.
    const moving = rows.filter((r) => ['collected', 'in-transit'].includes(r.actions.at(-1)!.to_state));
    let convoys = 0;
    for (const [name, trackUid, code] of [
      ['WFP convoy 1', 'demo-convoy-wfp-1', 'WFP'],
      ['OCHA convoy 2', 'demo-convoy-ocha-1', 'OCHA'],
    ] as const) {
      const members = moving.filter((r) => r.classification === 0).splice(0, 2);
      for (const m of members) moving.splice(moving.indexOf(m), 1);
      if (!members.length) break;
      const convoyId = await convoysStore.insert(tx, {
        name,
        notificationId: null,
        trackUid,
        organisationId: orgIds.get(code)!,
        createdBy: owners[code]!.userId,
        ...markingToColumns(ALL),
      });
      await consignmentsStore.assignConvoy(
        tx,
        members.map((m) => m.id),
        convoyId,
      );
      convoys++;
    }
    const stored = (
      await consignmentsStore.getMany(
        tx,
        rows.map((r) => r.id),
      )
    ).map(toConsignment);
    await recordEvents(tx, consignmentEvents(null, stored, true));

    const counts = demoCounts(crossings, now, rnd, centre.userId, admin.userId);
    await countsStore.upsert(tx, counts);
    return {
      crossings: crossings.length,
      consignments: rows.length,
      convoys,
      counts: counts.length,
      zikim: crossings.find((c) => c.name === 'Zikim'),
    };
  });

  // Zikim is restricted now: the owners of consignments still on their way through it are told.
  if (loaded.zikim)
    await crossingsService(db).setStatus(admin, loaded.zikim.id, {
      version: loaded.zikim.version,
      status: 'restricted',
      reason: 'Access road under repair: one lane, daylight only (invented for the demo).',
      opensAt: '07:00',
      closesAt: '15:00',
      until: new Date(now.getTime() + 3 * DAY_MS).toISOString(),
    });
  const { zikim: _, ...summary } = loaded;
  return summary;
}

/**
 * A week of figures at each crossing from three sources: the military coordination body (CLA)
 * counts trucks screened, the UN 2720 mechanism trucks collected on the far side, WFP trucks
 * arrived at its warehouses (its own consignments only, at Kerem Shalom every other day). Most
 * days match or differ as the rules explain; one day at Kerem Shalom stays unexplained.
 */
function demoCounts(
  crossings: readonly { id: string; name: string; daily_truck_target: number }[],
  now: Date,
  rnd: () => number,
  monitor: string,
  admin: string,
): NewCount[] {
  const out: NewCount[] = [];
  const marking = markingToColumns(ALL);
  for (let ago = 7; ago >= 1; ago--) {
    const day = dayOf(new Date(now.getTime() - ago * DAY_MS));
    for (const c of crossings) {
      if (c.daily_truck_target === 0) continue;
      const screened = Math.round(c.daily_truck_target * (0.35 + rnd() * 0.5));
      const lagging = (ago + c.name.length) % 3 === 0;
      const collected =
        c.name === 'Kerem Shalom' && ago === 3
          ? Math.round(screened * 1.3)
          : lagging
            ? Math.round(screened * (0.85 + rnd() * 0.08))
            : screened - Math.floor(rnd() * 2);
      const base = { crossing_id: c.id, day, scope: 'all aid', unit: 'trucks', ...marking };
      out.push({ ...base, source: 'CLA', rule: 'screened', value: screened, entered_by: monitor });
      out.push({ ...base, source: 'UN2720', rule: 'collected', value: collected, entered_by: monitor });
      if (c.name === 'Kerem Shalom' && ago % 2 === 0)
        out.push({
          ...base,
          source: 'WFP',
          rule: 'at-warehouse',
          scope: 'WFP consignments',
          value: Math.round(collected * 0.4),
          entered_by: admin,
        });
    }
  }
  return out;
}
