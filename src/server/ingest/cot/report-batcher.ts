import type { ValidReport } from '../../../domain/position-reports.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { ReportResult } from '../../modules/tracks/index.js';

/** The one door into tracks for reports made in their checked form (see isCheckedReport). */
export interface ReportSink {
  reportChecked(viewer: Viewer, reports: ValidReport[]): Promise<ReportResult>;
}

export interface BatchOutcome {
  accepted: number;
  rejected: number;
  /** How long tracks.report took for the batch. */
  ms: number;
}

/**
 * Gathers the reports of one user, from all of that user's connections, into
 * `tracks.reportChecked` calls: at most `inFlight` calls per user at once, and whatever arrives
 * meanwhile goes into the next, so batches grow with the load and a burst costs few transactions.
 * Two at once, so that a report that arrives during a slow commit does not wait for it to end
 * (in the `cot` bench: 57,000–64,000 stored events/s instead of 51,000–53,000, and a p50 of 8–9 ms
 * instead of 10–12 ms at 10,000 events/s, with a linger of 2 ms instead of 5).
 * Above `highWater` pending reports, connections are asked to pause reading (backpressure).
 */
export class ReportBatcher {
  private pending: ValidReport[] = [];
  private active = 0;
  private timer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  private idle: (() => void)[] = [];
  private closed = false;

  constructor(
    private viewer: Viewer,
    private readonly tracks: ReportSink,
    private readonly done: (o: BatchOutcome) => void,
    private readonly onError: (e: unknown, n: number) => void,
    private readonly opts: { lingerMs: number; maxBatch: number; highWater: number; inFlight: number } = {
      lingerMs: 2,
      maxBatch: 2000,
      highWater: 10_000,
      inFlight: 2,
    },
  ) {}

  setViewer(v: Viewer): void {
    this.viewer = v;
  }

  get size(): number {
    return this.pending.length;
  }

  /** False when the caller should pause reading until `whenDrained` resolves. */
  add(r: ValidReport): boolean {
    if (this.closed) return true;
    this.pending.push(r);
    if (this.active < this.opts.inFlight && !this.timer) {
      // A short linger lets the rest of a burst (other reads, other connections) join the batch.
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, this.opts.lingerMs);
    }
    return this.pending.length < this.opts.highWater;
  }

  whenDrained(): Promise<void> {
    if (this.pending.length < this.opts.highWater) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends everything pending, in batches, and resolves when the queue is empty and nothing is in flight. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.start();
    return this.whenIdle();
  }

  /**
   * Stops taking reports and waits for the batches in flight; returns how many queued reports were
   * dropped (shutdown must not wait for a backlog, nor write after the database closed).
   */
  async close(): Promise<number> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const dropped = this.pending.length;
    this.pending = [];
    await this.whenIdle();
    this.release();
    return dropped;
  }

  private whenIdle(): Promise<void> {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private start(): void {
    while (this.active < this.opts.inFlight && this.pending.length) {
      this.active++;
      void this.drain();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.opts.maxBatch);
        if (this.pending.length < this.opts.highWater) this.release();
        const t0 = performance.now();
        try {
          const r = await this.tracks.reportChecked(this.viewer, batch);
          this.done({ accepted: r.accepted, rejected: r.rejected.length, ms: performance.now() - t0 });
        } catch (e) {
          this.onError(e, batch.length);
        }
      }
    } finally {
      this.active--;
      this.release();
      if (!this.active) {
        const idle = this.idle;
        this.idle = [];
        for (const f of idle) f();
      }
    }
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
