import type { RejectReason } from './types.js';

/** What one TAK listener has seen since it started. */
export interface TakStats {
  /** Connections accepted (a UDP listener counts datagrams' senders as none). */
  connections: number;
  open: number;
  eventsIn: number;
  reportsAccepted: number;
  pings: number;
  /** Accepted but not stored: drawings and types Concord has no use for. */
  ignored: number;
  eventsOut: number;
  /** tracks.report calls and the time they took: where ingest time goes. */
  batches: number;
  batchMs: number;
  rejected: Partial<Record<RejectReason, number>>;
}

export function newStats(): TakStats {
  return {
    connections: 0,
    open: 0,
    eventsIn: 0,
    reportsAccepted: 0,
    pings: 0,
    ignored: 0,
    eventsOut: 0,
    batches: 0,
    batchMs: 0,
    rejected: {},
  };
}

export function countRejected(s: Pick<TakStats, 'rejected'>, reason: RejectReason, n = 1): void {
  s.rejected[reason] = (s.rejected[reason] ?? 0) + n;
}
