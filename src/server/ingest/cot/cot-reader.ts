import type { ValidReport } from '../../../domain/position-reports.js';
import { classify } from './cot-to-report.js';
import { CotFramer, type FramingLimits } from './framing.js';
import { parseCotEvent } from './parse.js';
import { countRejected, type TakStats } from './tak-stats.js';
import { CotError, type RejectReason } from './types.js';

/** Rejections that show a hostile or broken peer: the connection ends at the first one. */
const FATAL: ReadonlySet<RejectReason> = new Set([
  'doctype',
  'entity',
  'processing-instruction',
  'too-deep',
  'event-too-large',
  'buffer-overflow',
]);

/** What the reader counts: a TakStats, or the share of one a worker sends in a turn. */
export type ReadStats = Pick<TakStats, 'eventsIn' | 'pings' | 'ignored' | 'rejected'>;

export const newReadStats = (): ReadStats => ({ eventsIn: 0, pings: 0, ignored: 0, rejected: {} });

export function addReadStats(to: ReadStats, from: ReadStats): void {
  to.eventsIn += from.eventsIn;
  to.pings += from.pings;
  to.ignored += from.ignored;
  for (const [reason, n] of Object.entries(from.rejected)) countRejected(to, reason as RejectReason, n);
}

/** What some bytes of a TAK stream came to. */
export interface CotRead {
  reports: ValidReport[];
  /** Pings, each to be answered with a pong. */
  pings: number;
  /** The connection must end (a hostile or broken peer); the reports before it still count. */
  fatal: { reason: RejectReason; message: string } | null;
}

/**
 * The inbound side of one stream connection (TLS or plain TCP): events are framed, parsed
 * strictly and mapped to position reports; a hostile event, or too many malformed ones, ends it.
 * Pure CPU work with no shared state, so it runs where the bytes arrive (the TLS relay's worker).
 */
export class CotReader {
  private readonly framer: CotFramer;
  private bad = 0;
  private ended = false;

  constructor(
    limits: FramingLimits,
    private readonly maxBadEvents: number,
    private readonly stats: ReadStats,
  ) {
    this.framer = new CotFramer(limits);
  }

  read(chunk: Buffer, now: number): CotRead {
    const out: CotRead = { reports: [], pings: 0, fatal: null };
    if (this.ended) return out;
    let frames: string[];
    try {
      frames = this.framer.push(chunk);
    } catch (e) {
      if (!(e instanceof CotError)) throw e;
      return this.end(out, e);
    }
    for (const xml of frames) {
      this.stats.eventsIn++;
      try {
        const inbound = classify(parseCotEvent(xml), now);
        if (inbound.kind === 'report') out.reports.push(inbound.report);
        else if (inbound.kind === 'refused') countRejected(this.stats, 'report-refused');
        else if (inbound.kind === 'ping') {
          this.stats.pings++;
          out.pings++;
        } else this.stats.ignored++;
      } catch (e) {
        if (!(e instanceof CotError)) throw e;
        if (FATAL.has(e.reason) || ++this.bad > this.maxBadEvents) return this.end(out, e);
        countRejected(this.stats, e.reason);
      }
    }
    return out;
  }

  private end(out: CotRead, e: CotError): CotRead {
    countRejected(this.stats, e.reason);
    this.ended = true;
    out.fatal = { reason: e.reason, message: e.message };
    return out;
  }
}
