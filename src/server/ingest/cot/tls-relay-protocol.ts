/** Messages between the TLS relay (main thread) and its worker (tls-relay-worker.ts). */
import type { CotRead, ReadStats } from './cot-reader.js';
import type { FramingLimits } from './framing.js';

export interface TlsWorkerConfig {
  host: string;
  port: number;
  keyPem: string;
  certPem: string;
  caPem: string;
  handshakeTimeoutMs: number;
  limits: FramingLimits;
  /** Malformed events tolerated per connection before it is closed. */
  maxBadEvents: number;
}

/** What a worker starts with: the id of its first connection besides the relay's config. */
export type WorkerData = TlsWorkerConfig & { firstId: number };

/** A connection refused during the handshake, as TakStats counts it. */
export type HandshakeRefusal = 'no-certificate' | 'tls-handshake';

export type ToMain =
  | { t: 'listening'; port: number }
  | { t: 'failed'; message: string; code?: string }
  | { t: 'refused'; reason: HandshakeRefusal }
  /** A client passed the handshake with a certificate of our CA; it stays paused until resumed. */
  | { t: 'open'; id: number; cn: string | null }
  /**
   * One turn of the worker's loop: what each connection's reads came to (CotReader) and how many
   * bytes that was; per connection, the bytes it took from the main thread since the last report
   * with what its socket still buffers; what the readers counted.
   */
  | {
      t: 'io';
      reads: [id: number, read: CotRead, bytes: number][];
      acks: [id: number, taken: number, buffered: number][];
      stats: ReadStats | null;
    }
  | { t: 'closed'; id: number }
  | { t: 'stopped' };

/** One buffer for several connections: the paced clients of a turn are often sent the same bytes. */
export type Op =
  | { t: 'write'; ids: number[]; data: Uint8Array }
  | { t: 'pause' | 'resume' | 'end' | 'destroy'; id: number }
  /** Bytes of a connection the main thread has handed to its reader: the worker may read more. */
  | { t: 'consumed'; id: number; bytes: number };

/** The most bytes of one connection read but not yet consumed: above it, the worker stops reading. */
export const MAX_UNCONSUMED = 256 * 1024;

export type ToWorker = { t: 'ops'; ops: Op[] } | { t: 'stop' };
