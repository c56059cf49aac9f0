import {
  CONVOYS_LAYER,
  type ConsignmentState,
  type ConvoyInput,
  type ConvoyUpdate,
  TERMINAL_CONSIGNMENT_STATES,
} from '../../../domain/consignments.js';
import type { BBox } from '../../../domain/geometry.js';
import {
  aggregateMarking,
  CLASSIFICATIONS,
  classificationLevel,
  formatMarking,
  type Marking,
  RELEASABLE_TO_ALL,
} from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { TrackFeature } from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { assertVersion, Problem, problems } from '../../platform/errors.js';
import { recordEvents } from '../../platform/events.js';
import { toConsignment } from './consignments.features.js';
import { consignmentEvents, writeProblem } from './consignments.service.js';
import { consignmentsStore } from './consignments.store.js';
import { type ConvoyMemberRow, type ConvoyRow, convoysStore as store } from './convoys.store.js';

/** Where the current position of a track comes from (the track engine's memory). */
export interface TrackPositions {
  get(viewer: Viewer, uid: string): TrackFeature | null;
}

export interface ConvoyFeature {
  type: 'Feature';
  id: string;
  /** The live track's current position, when the convoy has one the reader may see; else null. */
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: {
    id: string;
    name: string;
    organisation: string;
    notificationId: string | null;
    notification: { number: string; title: string; state: string } | null;
    trackUid: string | null;
    track: { callsign: string; observedAt: string; staleAt: string; speed: number | null } | null;
    consignments: { id: string; number: string; state: string; trucks: number; tonnes: number }[];
    trucks: number;
    tonnes: number;
    pallets: number;
    createdBy: string | null;
    createdAt: string;
    updatedAt: string;
    version: number;
    marking: Marking;
    markingText: string;
  };
}

/** Whoever may see `outer` may see `inner` too: no higher classification, no extra caveat, released as widely. */
export function coveredBy(inner: Marking, outer: Marking): boolean {
  if (classificationLevel(inner.classification) > classificationLevel(outer.classification)) return false;
  if (!(inner.caveats ?? []).every((c) => (outer.caveats ?? []).includes(c))) return false;
  if (inner.releasableTo.includes(RELEASABLE_TO_ALL)) return true;
  return (
    !outer.releasableTo.includes(RELEASABLE_TO_ALL) &&
    outer.releasableTo.every((p) => inner.releasableTo.includes(p))
  );
}

/** The narrowest reader of a marking, for what a live payload may carry: everyone who may see it. */
function audienceOf(m: Marking): Viewer {
  return {
    userId: '',
    username: '',
    displayName: '',
    organisationId: '',
    organisationCode: '',
    nation: null,
    roles: [],
    clearance: CLASSIFICATIONS[classificationLevel(m.classification)]!,
    principals: m.releasableTo,
    caveats: m.caveats ?? [],
  };
}

function toFeature(
  r: ConvoyRow,
  members: readonly ConvoyMemberRow[],
  track: TrackFeature | null,
  include: (m: Marking) => boolean,
): ConvoyFeature {
  const marking = columnsToMarking(r);
  const nMarking =
    r.n_classification === null
      ? null
      : columnsToMarking({
          classification: r.n_classification,
          releasable_to: r.n_releasable_to ?? [],
          caveats: r.n_caveats ?? [],
        });
  const shown = members.filter((m) => include(columnsToMarking(m)));
  const withTrack = track && include(track.properties.marking) ? track : null;
  return {
    type: 'Feature',
    id: r.id,
    geometry: withTrack ? withTrack.geometry : null,
    properties: {
      id: r.id,
      name: r.name,
      organisation: r.organisation_code,
      notificationId: r.notification_id,
      notification:
        nMarking && include(nMarking) ? { number: r.n_number!, title: r.n_title!, state: r.n_state! } : null,
      trackUid: r.track_uid,
      track: withTrack
        ? {
            callsign: withTrack.properties.callsign,
            observedAt: withTrack.properties.observedAt,
            staleAt: withTrack.properties.staleAt,
            speed: withTrack.properties.speed,
          }
        : null,
      consignments: shown.map((m) => ({
        id: m.id,
        number: m.number,
        state: m.state,
        trucks: m.trucks,
        tonnes: m.tonnes,
      })),
      trucks: shown.reduce((s, m) => s + m.trucks, 0),
      tonnes: shown.reduce((s, m) => s + m.tonnes, 0),
      pallets: shown.reduce((s, m) => s + m.pallets, 0),
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
      marking,
      markingText: formatMarking(marking),
    },
  };
}

export function convoysService(db: Db, tracks: TrackPositions) {
  /** A reader's view: what the transaction returned (RLS) and the tracks the reader may see. */
  function forViewer(viewer: Viewer, rows: ConvoyRow[], members: ConvoyMemberRow[]): ConvoyFeature[] {
    return rows.map((r) =>
      toFeature(
        r,
        members.filter((m) => m.convoy_id === r.id),
        r.track_uid ? tracks.get(viewer, r.track_uid) : null,
        () => true,
      ),
    );
  }

  /**
   * Writes the convoy's live event in the caller's transaction. The payload goes to everyone who
   * may see the convoy, so it carries only what all of them may see: consignments, notification
   * and track position covered by the convoy's marking.
   */
  async function publish(tx: Tx, convoyId: string, actor: string | null): Promise<void> {
    const r = await store.get(tx, convoyId);
    if (!r) return;
    const marking = columnsToMarking(r);
    const members = await store.members(tx, [convoyId]);
    const track = r.track_uid ? tracks.get(audienceOf(marking), r.track_uid) : null;
    const feature = toFeature(r, members, track, (m) => coveredBy(m, marking));
    await recordEvents(tx, [
      {
        actor,
        kind: 'upsert',
        layer: CONVOYS_LAYER,
        entityId: convoyId,
        payload: feature,
        marking,
        prevMarking: marking,
      },
    ]);
  }

  async function get(viewer: Viewer, id: string): Promise<ConvoyFeature> {
    const found = await db.asViewer(viewer, async (tx) => {
      const row = await store.get(tx, id);
      return row ? { row, members: await store.members(tx, [id]) } : null;
    });
    if (!found) throw problems.notFound(`Convoy ${id}`);
    return forViewer(viewer, [found.row], found.members)[0]!;
  }

  async function list(viewer: Viewer, limit = 1000) {
    const { rows, members } = await db.asViewer(viewer, async (tx) => {
      const rows = await store.list(tx, limit);
      return {
        rows,
        members: await store.members(
          tx,
          rows.map((r) => r.id),
        ),
      };
    });
    const features = forViewer(viewer, rows, members);
    const marking = aggregateMarking(features.map((f) => f.properties.marking));
    return { type: 'FeatureCollection' as const, features, marking, markingText: formatMarking(marking) };
  }

  /** Whether the viewer coordinates (any consignment) or only notifies (their own); else refused. */
  function mayFormConvoys(viewer: Viewer): boolean {
    const centre = hasPermission(viewer.roles, 'aid:coordinate');
    if (!centre && !hasPermission(viewer.roles, 'aid:notify'))
      throw problems.forbidden('Only humanitarian organisations and the coordination centre form convoys.');
    return centre;
  }

  async function checkNotification(tx: Tx, id: string): Promise<void> {
    const n = await store.notification(tx, id);
    if (!n)
      throw problems.badRequest(`Notification ${id} does not exist or is not released to you.`, {
        field: 'notificationId',
      });
    if (n.kind !== 'movement')
      throw problems.badRequest('A convoy travels under a movement notification, not a static site.', {
        field: 'notificationId',
      });
  }

  /** Consignments may join when visible, the viewer's own (unless centre), in no convoy and still travelling. */
  async function checkJoining(
    tx: Tx,
    viewer: Viewer,
    centre: boolean,
    ids: readonly string[],
  ): Promise<void> {
    const found = await store.lockConsignments(tx, ids);
    const missing = ids.filter((x) => !found.some((f) => f.id === x));
    if (missing.length)
      throw problems.badRequest(
        `Consignment(s) ${missing.join(', ')} do not exist or are not released to you.`,
        {
          field: 'consignmentIds',
          missing,
        },
      );
    for (const c of found) {
      if (!centre && c.requesting_organisation_id !== viewer.organisationId)
        throw problems.forbidden(`Consignment ${c.number} belongs to another organisation.`);
      if (c.convoy_id)
        throw problems.conflict(`Consignment ${c.number} already travels in convoy ${c.convoy_id}.`);
      if (TERMINAL_CONSIGNMENT_STATES.includes(c.state as ConsignmentState))
        throw new Problem(
          409,
          'invalid-transition',
          'Not possible in this state',
          `Consignment ${c.number} is ${c.state}: it travels no more.`,
        );
    }
  }

  /** Moves consignments into and out of the convoy and announces every change. */
  async function regroup(
    tx: Tx,
    viewer: Viewer,
    convoyId: string,
    joining: readonly string[],
    leaving: readonly string[],
  ): Promise<void> {
    await consignmentsStore.assignConvoy(tx, joining, convoyId);
    await consignmentsStore.assignConvoy(tx, leaving, null);
    const changed = (await consignmentsStore.getMany(tx, [...joining, ...leaving])).map(toConsignment);
    await recordEvents(tx, consignmentEvents(viewer.userId, changed, false));
    await publish(tx, convoyId, viewer.userId);
  }

  return {
    publish,
    get,
    list,

    /** The live snapshot: the convoys the viewer may see in the bbox, and those without a position. */
    snapshot: async (viewer: Viewer, bbox?: BBox) =>
      (await list(viewer)).features.filter((f) => {
        const p = f.geometry?.coordinates;
        return !bbox || !p || (p[0] >= bbox[0] && p[0] <= bbox[2] && p[1] >= bbox[1] && p[1] <= bbox[3]);
      }),

    /**
     * Groups consignments the viewer may see (their own organisation's, unless the viewer
     * coordinates) that travel on and are in no other convoy, under a notified movement the
     * viewer may see, followed by a live track.
     */
    async create(viewer: Viewer, input: ConvoyInput): Promise<ConvoyFeature> {
      const centre = mayFormConvoys(viewer);
      const denied = writeProblem(viewer, input.marking);
      if (denied) throw denied;
      const ids = [...new Set(input.consignmentIds)];
      const id = await db.asViewer(viewer, async (tx) => {
        if (input.notificationId) await checkNotification(tx, input.notificationId);
        await checkJoining(tx, viewer, centre, ids);
        const convoyId = await store.insert(tx, {
          name: input.name.trim(),
          notificationId: input.notificationId ?? null,
          trackUid: input.trackUid ?? null,
          organisationId: viewer.organisationId,
          createdBy: viewer.userId,
          ...markingToColumns(input.marking),
        });
        await regroup(tx, viewer, convoyId, ids, []);
        return convoyId;
      });
      return get(viewer, id);
    },

    /**
     * Renames a convoy, changes its consignments (the whole new set: those left out leave it, as
     * far as the viewer sees them), its movement or its track; by its organisation or the centre.
     */
    async update(viewer: Viewer, id: string, input: ConvoyUpdate): Promise<ConvoyFeature> {
      const centre = mayFormConvoys(viewer);
      await db.asViewer(viewer, async (tx) => {
        const v = await store.lock(tx, id);
        if (!v) throw problems.notFound(`Convoy ${id}`);
        if (!centre && v.organisation_id !== viewer.organisationId)
          throw problems.forbidden('Only its organisation or the coordination centre changes a convoy.');
        assertVersion(`Convoy ${id}`, v.version, input.version);
        if (input.notificationId) await checkNotification(tx, input.notificationId);
        await store.update(tx, id, {
          name: input.name?.trim(),
          notificationId: input.notificationId,
          trackUid: input.trackUid,
        });
        if (input.consignmentIds) {
          const wanted = [...new Set(input.consignmentIds)];
          const current = (await store.members(tx, [id])).map((m) => m.id);
          const joining = wanted.filter((x) => !current.includes(x));
          await checkJoining(tx, viewer, centre, joining);
          await regroup(
            tx,
            viewer,
            id,
            joining,
            current.filter((x) => !wanted.includes(x)),
          );
        } else await publish(tx, id, viewer.userId);
      });
      return get(viewer, id);
    },
  };
}
export type ConvoysService = ReturnType<typeof convoysService>;
