import type { Marking } from './marking.js';
import type { TrackMove } from './tracks.js';

/** One change as the outbox records it and the live hub fans it out. */
export interface ChangeEvent {
  id: string;
  at: string;
  actor: string | null;
  kind: 'upsert' | 'delete';
  layer: string;
  entityId: string;
  /** The entity's new state (a GeoJSON Feature for map layers); null for a delete. */
  payload: unknown;
  marking: Marking;
  /** The marking before the change, so that viewers who saw it learn it is gone. */
  prevMarking: Marking | null;
}

/**
 * A change that does not pass through the outbox (track movements: LiveHub.publishVolatile). For
 * a track: `point`, its position, lets the hub offer it only to subscribers whose bbox may hold it;
 * `feature` makes the whole feature only if some subscriber needs it; `move` is set when only the
 * position changed since the last announced state, and `rev` counts the track's other changes, so
 * that a subscriber knows whether what it holds is current apart from the position.
 */
export interface VolatileChange extends Omit<ChangeEvent, 'id' | 'at' | 'actor'> {
  move?: TrackMove;
  rev?: number;
  point?: readonly [number, number];
  feature?: () => unknown;
}

/**
 * An upsert or delete of one entity, or movements of tracks the client holds (only to clients
 * that subscribed with `moves: true`); several may travel in one `batch` frame.
 */
export type LiveChangeMessage =
  | { type: 'upsert'; layer: string; id: string; feature: unknown; eventId?: string }
  | { type: 'delete'; layer: string; id: string; eventId?: string }
  | { type: 'moves'; layer: string; moves: TrackMove[] };

/**
 * Messages on /api/v1/live. `batch` carries the changes queued for a client at one flush, in order
 * (a busy layer such as tracks sends thousands per second): read it as its messages one by one.
 */
export type LiveServerMessage =
  | { type: 'welcome'; user: string; heartbeatMs: number }
  | { type: 'snapshot'; layer: string; features: unknown[]; lastEventId: string; reset: boolean }
  | { type: 'upsert'; layer: string; id: string; feature: unknown; eventId?: string }
  | { type: 'delete'; layer: string; id: string; eventId?: string }
  | { type: 'moves'; layer: string; moves: TrackMove[] }
  | { type: 'heartbeat'; at: string; lastEventId: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'batch'; messages: LiveChangeMessage[] };

export type LiveClientMessage =
  | {
      type: 'subscribe';
      layers: string[];
      bbox?: [number, number, number, number];
      since?: string;
      /** Accept `moves` for tracks already sent, instead of a whole feature per movement. */
      moves?: boolean;
    }
  | { type: 'ping' };
