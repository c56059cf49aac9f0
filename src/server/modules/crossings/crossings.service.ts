import { STATES_BEFORE_CROSSING } from '../../../domain/consignments.js';
import {
  AID_NOTICES_LAYER,
  CROSSINGS_LAYER,
  type CrossingStatus,
  type CrossingStatusInput,
  type Throughput,
} from '../../../domain/crossings.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { assertVersion, Problem, problems } from '../../platform/errors.js';
import { recordEvent, recordEvents } from '../../platform/events.js';
import { type CrossingRow, crossingsStore as store, type ThroughputRow } from './crossings.store.js';
import { type NewNotice, type NoticeRow, noticesStore } from './notices.store.js';

export const DAY_MS = 86_400_000;

/** The UTC day of a time, YYYY-MM-DD. */
export const dayOf = (t: Date) => t.toISOString().slice(0, 10);
/** Midnight UTC at the start of the day `t` falls in. */
export const startOfDay = (t: Date) => new Date(`${dayOf(t)}T00:00:00.000Z`);
/** `n` consecutive days ending with the day `t` falls in, oldest first. */
export function lastDays(t: Date, n: number): string[] {
  const end = startOfDay(t).getTime();
  return Array.from({ length: n }, (_, i) => dayOf(new Date(end - (n - 1 - i) * DAY_MS)));
}

/** A crossing as the board, the API and the live layer show it: a GeoJSON Point Feature. */
export interface CrossingFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: string;
    name: string;
    zoneId: string | null;
    status: CrossingStatus;
    reason: string | null;
    opensAt: string | null;
    closesAt: string | null;
    until: string | null;
    dailyTruckTarget: number;
    updatedAt: string;
    version: number;
    marking: Marking;
    markingText: string;
  };
}

export type BoardCrossing = CrossingFeature['properties'] & {
  location: [number, number];
  today: Throughput;
  last7Days: Throughput[];
  queued: { consignments: number; trucks: number };
};

export interface Notice {
  id: string;
  organisation: string;
  consignment: { id: string; number: string; reference: string | null; state: string };
  crossing: { id: string; name: string };
  status: string;
  reason: string | null;
  until: string | null;
  summary: string;
  at: string;
  marking: Marking;
  markingText: string;
}

export function toCrossingFeature(r: CrossingRow): CrossingFeature {
  const marking = columnsToMarking(r);
  return {
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: {
      id: r.id,
      name: r.name,
      zoneId: r.zone_id,
      status: r.status,
      reason: r.reason,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      until: r.status_until?.toISOString() ?? null,
      dailyTruckTarget: r.daily_truck_target,
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
      marking,
      markingText: formatMarking(marking),
    },
  };
}

function toNotice(r: NoticeRow): Notice {
  const marking = columnsToMarking(r);
  return {
    id: r.id,
    organisation: r.organisation_code,
    consignment: {
      id: r.consignment_id,
      number: r.consignment_number,
      reference: r.consignment_reference,
      state: r.consignment_state,
    },
    crossing: { id: r.crossing_id, name: r.crossing_name },
    status: r.status,
    reason: r.reason,
    until: r.status_until?.toISOString() ?? null,
    summary: r.summary,
    at: r.at.toISOString(),
    marking,
    markingText: formatMarking(marking),
  };
}

/** Fills the days without screened consignments with zeros. */
export function throughputSeries(
  rows: readonly ThroughputRow[],
  crossingId: string,
  days: readonly string[],
  target: number,
): Throughput[] {
  return days.map((day) => {
    const r = rows.find((x) => x.crossing_id === crossingId && x.day === day);
    return {
      day,
      trucks: r?.trucks ?? 0,
      tonnes: r?.tonnes ?? 0,
      pallets: r?.pallets ?? 0,
      targetTrucks: target,
    };
  });
}

export function crossingsService(db: Db, log?: { error(obj: unknown, msg: string): void }) {
  /**
   * Tells the owners of the consignments still on their way through the crossing of a closure or
   * restriction. Runs on the system pool: the coordinator who changed the status need not see
   * every consignment, and each notice is marked like its consignment (and the crossing), so an
   * organisation that may not see the consignment never sees the notice. Idempotent per status
   * change and consignment.
   */
  async function notifyOwners(crossing: CrossingRow, historyId: string, actor: string): Promise<number> {
    return db.asSystem(async (tx) => {
      const affected = await noticesStore.affected(tx, crossing.id, STATES_BEFORE_CROSSING);
      const crossingMarking = columnsToMarking(crossing);
      const what = crossing.status === 'closed' ? 'closed' : 'restricted';
      const rows: NewNotice[] = affected.map((c) => ({
        organisation_id: c.requesting_organisation_id,
        consignment_id: c.id,
        crossing_id: crossing.id,
        status_history_id: historyId,
        status: crossing.status,
        reason: crossing.reason,
        status_until: crossing.status_until?.toISOString() ?? null,
        summary:
          `${crossing.name} is ${what}${crossing.reason ? `: ${crossing.reason}` : ''}` +
          `${crossing.status_until ? ` (until ${crossing.status_until.toISOString()})` : ''}. ` +
          `Consignment ${c.number}${c.reference ? ` (${c.reference})` : ''} is ${c.state}.`,
        ...markingToColumns(aggregateMarking([columnsToMarking(c), crossingMarking])),
      }));
      const ids = await noticesStore.insertMany(tx, rows);
      const notices = (await noticesStore.byIds(tx, ids)).map(toNotice);
      await recordEvents(
        tx,
        notices.map((n) => ({
          actor,
          kind: 'upsert' as const,
          layer: AID_NOTICES_LAYER,
          entityId: n.id,
          payload: n,
          marking: n.marking,
          prevMarking: null,
        })),
      );
      return notices.length;
    });
  }

  async function board(viewer: Viewer, now = new Date()) {
    const days = lastDays(now, 7);
    const from = new Date(`${days[0]}T00:00:00.000Z`);
    const to = new Date(startOfDay(now).getTime() + DAY_MS);
    const { crossings, rows, markings, queued } = await db.asViewer(viewer, async (tx) => ({
      crossings: await store.list(tx),
      rows: await store.throughput(tx, from, to),
      markings: await store.throughputMarkings(tx, from, to),
      queued: await store.queued(tx),
    }));
    const out: BoardCrossing[] = crossings.map((r) => {
      const f = toCrossingFeature(r);
      const last7Days = throughputSeries(rows, r.id, days, r.daily_truck_target);
      const q = queued.filter((x) => x.crossing_id === r.id);
      return {
        ...f.properties,
        location: f.geometry.coordinates,
        today: last7Days.at(-1)!,
        last7Days,
        queued: { consignments: q.reduce((s, x) => s + x.n, 0), trucks: q.reduce((s, x) => s + x.trucks, 0) },
      };
    });
    const marking = aggregateMarking([
      ...out.map((c) => c.marking),
      ...markings.map(columnsToMarking),
      ...queued.map(columnsToMarking),
    ]);
    const sum = (k: 'trucks' | 'tonnes' | 'pallets' | 'targetTrucks') =>
      out.reduce((s, c) => s + c.today[k], 0);
    return {
      day: days.at(-1)!,
      crossings: out,
      today: {
        trucks: sum('trucks'),
        tonnes: sum('tonnes'),
        pallets: sum('pallets'),
        targetTrucks: sum('targetTrucks'),
      },
      marking,
      markingText: formatMarking(marking),
    };
  }

  return {
    board,

    async get(viewer: Viewer, id: string) {
      const found = await db.asViewer(viewer, async (tx) => {
        const row = await store.get(tx, id);
        return row ? { row, history: await store.history(tx, id) } : null;
      });
      if (!found) throw problems.notFound(`Crossing ${id}`);
      return {
        ...toCrossingFeature(found.row),
        history: found.history.map((h) => ({
          status: h.status,
          reason: h.reason,
          opensAt: h.opens_at,
          closesAt: h.closes_at,
          until: h.status_until?.toISOString() ?? null,
          actor: h.actor,
          at: h.at.toISOString(),
        })),
      };
    },

    /**
     * Sets a crossing's status as the viewer (version checked, reason required when restricted or
     * closed, history kept, live event), then tells the owners of affected consignments.
     */
    async setStatus(viewer: Viewer, id: string, input: CrossingStatusInput): Promise<CrossingFeature> {
      if (!hasPermission(viewer.roles, 'aid:coordinate'))
        throw problems.forbidden('Only the coordination centre (aid:coordinate) sets a crossing status.');
      const reason = input.reason?.trim() || null;
      if (input.status !== 'open' && !reason)
        throw new Problem(
          400,
          'reason-required',
          'Reason required',
          `Say why the crossing is ${input.status}.`,
          {
            field: 'reason',
          },
        );
      const { after, historyId } = await db.asViewer(viewer, async (tx: Tx) => {
        const c = await store.get(tx, id, true);
        if (!c) throw problems.notFound(`Crossing ${id}`);
        assertVersion(`Crossing ${c.name}`, c.version, input.version, { status: c.status });
        const historyId = await store.setStatus(tx, c, {
          status: input.status,
          reason,
          // Planned hours stay as they were unless given anew.
          opensAt: input.opensAt ?? c.opens_at,
          closesAt: input.closesAt ?? c.closes_at,
          until: input.status === 'open' ? null : (input.until ?? null),
          actor: viewer.userId,
        });
        const after = (await store.get(tx, id))!;
        const feature = toCrossingFeature(after);
        await recordEvent(tx, {
          actor: viewer.userId,
          kind: 'upsert',
          layer: CROSSINGS_LAYER,
          entityId: id,
          payload: feature,
          marking: feature.properties.marking,
          prevMarking: feature.properties.marking,
        });
        return { after, historyId };
      });
      if (after.status !== 'open') {
        try {
          await notifyOwners(after, historyId, viewer.userId);
        } catch (e) {
          // The status change stands and is answered; notices are idempotent per history row.
          log?.error({ err: e, crossing: id, historyId }, 'crossing notices could not be stored');
        }
      }
      return toCrossingFeature(after);
    },

    /** Notices for the viewer's organisation, newest first. */
    async notices(viewer: Viewer, q: { since?: Date; limit?: number } = {}) {
      const rows = await db.asViewer(viewer, (tx) =>
        noticesStore.forOrganisation(tx, viewer.organisationId, q.since, Math.min(q.limit ?? 200, 1000)),
      );
      const notices = rows.map(toNotice);
      const marking = aggregateMarking(notices.map((n) => n.marking));
      return { notices, marking, markingText: formatMarking(marking) };
    },

    /** Live snapshots: crossings with their status; the viewer's organisation's notices. */
    liveCrossings: async (viewer: Viewer) =>
      (await db.asViewer(viewer, (tx) => store.list(tx))).map(toCrossingFeature),
    liveNotices: async (viewer: Viewer) =>
      (
        await db.asViewer(viewer, (tx) =>
          noticesStore.forOrganisation(tx, viewer.organisationId, undefined, 200),
        )
      ).map((r) => ({ ...toNotice(r), geometry: null })),
  };
}
export type CrossingsService = ReturnType<typeof crossingsService>;
