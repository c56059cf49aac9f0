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

/** Messages on /api/v1/live. */
export type LiveServerMessage =
  | { type: 'welcome'; user: string; heartbeatMs: number }
  | { type: 'snapshot'; layer: string; features: unknown[]; lastEventId: string; reset: boolean }
  | { type: 'upsert'; layer: string; id: string; feature: unknown; eventId?: string }
  | { type: 'delete'; layer: string; id: string; eventId?: string }
  | { type: 'heartbeat'; at: string; lastEventId: string }
  | { type: 'error'; code: string; message: string };

export type LiveClientMessage =
  | { type: 'subscribe'; layers: string[]; bbox?: [number, number, number, number]; since?: string }
  | { type: 'ping' };
