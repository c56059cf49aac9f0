import type { Marking } from './marking.js';

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

/** An upsert or delete of one entity; several may travel in one `batch` frame. */
export type LiveChangeMessage =
  | { type: 'upsert'; layer: string; id: string; feature: unknown; eventId?: string }
  | { type: 'delete'; layer: string; id: string; eventId?: string };

/**
 * Messages on /api/v1/live. `batch` carries the changes queued for a client at one flush, in order
 * (a busy layer such as tracks sends thousands per second): read it as its messages one by one.
 */
export type LiveServerMessage =
  | { type: 'welcome'; user: string; heartbeatMs: number }
  | { type: 'snapshot'; layer: string; features: unknown[]; lastEventId: string; reset: boolean }
  | { type: 'upsert'; layer: string; id: string; feature: unknown; eventId?: string }
  | { type: 'delete'; layer: string; id: string; eventId?: string }
  | { type: 'heartbeat'; at: string; lastEventId: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'batch'; messages: LiveChangeMessage[] };

export type LiveClientMessage =
  | { type: 'subscribe'; layers: string[]; bbox?: [number, number, number, number]; since?: string }
  | { type: 'ping' };
