import { CotError } from './types.js';

/**
 * TAK stream framing: events come back to back over TCP/TLS with no length prefix, so a frame
 * ends after `</event>`. Text before an event's first `<` is garbage, skipped and counted; a frame or a connection buffer over its cap is a protocol error, which closes the
 * connection: a peer that never sends `</event>` cannot make the server hold its bytes.
 */

export interface FramingLimits {
  /** Largest event, in bytes. */
  maxEventBytes: number;
  /** Most bytes held for one connection between reads. */
  maxBufferBytes: number;
}

export const DEFAULT_FRAMING: FramingLimits = { maxEventBytes: 64 * 1024, maxBufferBytes: 256 * 1024 };

const END = Buffer.from('</event>');
const LT = 0x3c;

export class CotFramer {
  /** Bytes held between reads, in a buffer that grows by doubling: appending stays linear. */
  private buf: Buffer = Buffer.alloc(0);
  private held = 0;
  /** Where the search for `</event>` resumes, so that a slow peer's bytes are not rescanned. */
  private scanFrom = 0;
  garbageBytes = 0;

  constructor(private readonly limits: FramingLimits = DEFAULT_FRAMING) {}

  /** Appends a chunk and returns the complete events in it; throws CotError when a cap is passed. */
  push(chunk: Buffer): string[] {
    if (this.held + chunk.length > this.limits.maxBufferBytes)
      throw new CotError('buffer-overflow', 'connection buffer over its cap');
    // With nothing held, the chunk is read where it lies; only its unfinished tail is copied.
    const fresh = this.held === 0;
    const data = fresh ? chunk : this.append(chunk);
    const out: string[] = [];
    let start = 0;
    let from = fresh ? 0 : this.scanFrom;
    for (;;) {
      const at = data.indexOf(END, from);
      if (at < 0) break;
      const stop = at + END.length;
      const begin = this.eventStart(data, start, stop);
      if (stop - begin > this.limits.maxEventBytes)
        throw new CotError('event-too-large', `event over ${this.limits.maxEventBytes} bytes`);
      out.push(data.toString('utf8', begin, stop));
      start = stop;
      from = stop;
    }
    if (fresh || start > 0) this.keep(data, start);
    // A `</event>` split across reads starts at most 7 bytes before the end.
    this.scanFrom = Math.max(0, this.held - END.length + 1);
    if (this.held > this.limits.maxEventBytes)
      throw new CotError('event-too-large', `event (or garbage) over ${this.limits.maxEventBytes} bytes`);
    return out;
  }

  /** Bytes held waiting for the rest of an event. */
  get pending(): number {
    return this.held;
  }

  /** Adds the chunk after the held bytes; returns a view of them all. */
  private append(chunk: Buffer): Buffer {
    const need = this.held + chunk.length;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(Math.max(need, this.buf.length * 2, 4096), this.limits.maxBufferBytes),
      );
      this.buf.copy(grown, 0, 0, this.held);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.held);
    this.held = need;
    return this.buf.subarray(0, need);
  }

  /** Keeps what follows the last event for the next read, at the front of the held buffer. */
  private keep(data: Buffer, start: number): void {
    const n = data.length - start;
    if (n > this.buf.length)
      this.buf = Buffer.allocUnsafe(Math.min(Math.max(n, 4096), this.limits.maxBufferBytes));
    data.copy(this.buf, 0, start);
    this.held = n;
  }

  /**
   * Where the event in [from, to) starts: at its first `<`. Text before it is garbage; markup
   * before `<event` (a processing instruction, a DOCTYPE) stays in the frame for the parser to refuse.
   */
  private eventStart(data: Buffer, from: number, to: number): number {
    const lt = data.indexOf(LT, from);
    const begin = lt >= 0 && lt < to ? lt : from;
    for (let i = from; i < begin; i++) {
      const c = data[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.garbageBytes += begin - from;
        break;
      }
    }
    return begin;
  }
}
