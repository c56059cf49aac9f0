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
  private buf: Buffer = Buffer.alloc(0);
  /** Where the search for `</event>` resumes, so that a slow peer's bytes are not rescanned. */
  private scanFrom = 0;
  garbageBytes = 0;

  constructor(private readonly limits: FramingLimits = DEFAULT_FRAMING) {}

  /** Appends a chunk and returns the complete events in it; throws CotError when a cap is passed. */
  push(chunk: Buffer): string[] {
    if (this.buf.length + chunk.length > this.limits.maxBufferBytes)
      throw new CotError('buffer-overflow', 'connection buffer over its cap');
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const end = this.buf.indexOf(END, Math.max(start, this.scanFrom));
      if (end < 0) break;
      const stop = end + END.length;
      const begin = this.eventStart(start, stop);
      if (stop - begin > this.limits.maxEventBytes)
        throw new CotError('event-too-large', `event over ${this.limits.maxEventBytes} bytes`);
      out.push(this.buf.toString('utf8', begin, stop));
      start = stop;
      this.scanFrom = stop;
    }
    this.buf = start === 0 ? this.buf : this.buf.subarray(start);
    // A `</event>` split across reads starts at most 7 bytes before the end.
    this.scanFrom = Math.max(0, this.buf.length - END.length + 1);
    if (this.buf.length > this.limits.maxEventBytes)
      throw new CotError('event-too-large', `event (or garbage) over ${this.limits.maxEventBytes} bytes`);
    return out;
  }

  /** Bytes held waiting for the rest of an event. */
  get pending(): number {
    return this.buf.length;
  }

  /**
   * Where the event in [from, to) starts: at its first `<`. Text before it is garbage; markup
   * before `<event` (a processing instruction, a DOCTYPE) stays in the frame for the parser to refuse.
   */
  private eventStart(from: number, to: number): number {
    const lt = this.buf.indexOf(LT, from);
    const begin = lt >= 0 && lt < to ? lt : from;
    for (let i = from; i < begin; i++) {
      const c = this.buf[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.garbageBytes += begin - from;
        break;
      }
    }
    return begin;
  }
}
