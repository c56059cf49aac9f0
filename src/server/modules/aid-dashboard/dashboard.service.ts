import {
  type ConsignmentState,
  ITEM_CATEGORIES,
  type ItemCategory,
  PIPELINE,
  TERMINAL_CONSIGNMENT_STATES,
} from '../../../domain/consignments.js';
import type { Throughput } from '../../../domain/crossings.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { crossingsStore, DAY_MS, lastDays, startOfDay, throughputSeries } from '../crossings/index.js';
import { dashboardStore as store } from './dashboard.store.js';

export const MAX_DAYS = 90;

/** How the figures are counted, said once in every answer so that no reader has to guess. */
export const DASHBOARD_BASIS =
  'Trucks, tonnes and pallets count consignments on the UTC day they were screened at their crossing ' +
  '(their move to "screened"); crossing counts from other sources are compared in the reconciliation. ' +
  'The funnel holds consignments registered in the window and older ones still under way.';

export interface Dashboard {
  from: string;
  to: string;
  days: string[];
  basis: string;
  /** Per day: trucks over all crossings against the summed target. */
  trucksPerDay: { day: string; trucks: number; tonnes: number; pallets: number; targetTrucks: number }[];
  /** Per crossing: one entry per day. */
  crossings: { id: string; name: string; dailyTruckTarget: number; days: Throughput[] }[];
  tonnesByCategory: { category: ItemCategory; tonnes: number }[];
  funnel: {
    state: ConsignmentState;
    stage: 'pipeline' | 'outcome';
    /** Consignments in this state now. */
    count: number;
    /** Consignments that were in this state at some time. */
    reached: number;
    trucks: number;
    tonnes: number;
  }[];
  overdueAnswers: { count: number; oldestDueAt: string | null };
  marking: Marking;
  markingText: string;
}

/**
 * The funnel's order: the pipeline with partial clearance beside clearance, then the ends that
 * are not delivery.
 */
const FUNNEL: { state: ConsignmentState; stage: 'pipeline' | 'outcome' }[] = [
  ...PIPELINE.flatMap((state) => (state === 'cleared' ? [state, 'partially-cleared' as const] : [state])).map(
    (state) => ({ state, stage: 'pipeline' as const }),
  ),
  ...TERMINAL_CONSIGNMENT_STATES.filter((s) => !PIPELINE.includes(s)).map((state) => ({
    state,
    stage: 'outcome' as const,
  })),
];

export function dashboardService(db: Db) {
  return {
    /** The last `days` UTC days up to today, everything under the viewer's row-level security. */
    async get(viewer: Viewer, q: { days?: number; now?: Date } = {}): Promise<Dashboard> {
      const now = q.now ?? new Date();
      const days = lastDays(now, Math.min(Math.max(q.days ?? 14, 1), MAX_DAYS));
      const from = new Date(`${days[0]}T00:00:00.000Z`);
      const to = new Date(startOfDay(now).getTime() + DAY_MS);
      const r = await db.asViewer(viewer, async (tx) => ({
        crossings: await crossingsStore.list(tx),
        throughput: await crossingsStore.throughput(tx, from, to),
        tonnes: await store.tonnesByCategory(tx, from, to),
        byState: await store.byState(tx, from),
        reached: await store.reached(tx, from),
        overdue: await store.overdue(tx),
        markings: await store.markings(tx, from, to, from),
      }));
      const crossings = r.crossings.map((c) => ({
        id: c.id,
        name: c.name,
        dailyTruckTarget: c.daily_truck_target,
        days: throughputSeries(r.throughput, c.id, days, c.daily_truck_target),
      }));
      const trucksPerDay = days.map((day, i) => {
        const of = crossings.map((c) => c.days[i]!);
        return {
          day,
          trucks: of.reduce((s, x) => s + x.trucks, 0),
          tonnes: of.reduce((s, x) => s + x.tonnes, 0),
          pallets: of.reduce((s, x) => s + x.pallets, 0),
          targetTrucks: of.reduce((s, x) => s + x.targetTrucks, 0),
        };
      });
      const funnel = FUNNEL.map(({ state, stage }) => {
        const now = r.byState.find((x) => x.state === state);
        return {
          state,
          stage,
          count: now?.n ?? 0,
          reached: r.reached.find((x) => x.state === state)?.n ?? 0,
          trucks: now?.trucks ?? 0,
          tonnes: now?.tonnes ?? 0,
        };
      });
      const marking = aggregateMarking([
        ...r.crossings.map(columnsToMarking),
        ...r.markings.map(columnsToMarking),
      ]);
      return {
        from: days[0]!,
        to: days.at(-1)!,
        days,
        basis: DASHBOARD_BASIS,
        trucksPerDay,
        crossings,
        tonnesByCategory: ITEM_CATEGORIES.map((category) => ({
          category,
          tonnes: r.tonnes.find((x) => x.category === category)?.tonnes ?? 0,
        })),
        funnel,
        overdueAnswers: { count: r.overdue.n, oldestDueAt: r.overdue.oldest?.toISOString() ?? null },
        marking,
        markingText: formatMarking(marking),
      };
    },
  };
}
export type DashboardService = ReturnType<typeof dashboardService>;
