import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface LoopStalls {
  /** Event-loop delay quantiles and maximum, ms. */
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Garbage-collection pauses of this process while it was watched. */
  gcPauses: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

/**
 * Watches this process's event loop and garbage collector: a server's latency is mostly the time
 * a ready callback waits for its turn, and these say what it waits behind.
 */
export function watchLoop(): { stop(): LoopStalls } {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let gcPauses = 0;
  let gcTotalMs = 0;
  let gcMaxMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcPauses++;
      gcTotalMs += e.duration;
      gcMaxMs = Math.max(gcMaxMs, e.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      gc.disconnect();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      return {
        delayP50Ms: ms(delay.percentile(50)),
        delayP99Ms: ms(delay.percentile(99)),
        delayMaxMs: ms(delay.max),
        gcPauses,
        gcTotalMs: Math.round(gcTotalMs),
        gcMaxMs: Math.round(gcMaxMs * 10) / 10,
      };
    },
  };
}

export const describeStalls = (s: LoopStalls) =>
  `event-loop delay p50 ${s.delayP50Ms} ms, p99 ${s.delayP99Ms} ms, max ${s.delayMaxMs} ms; ${s.gcPauses} GC pauses, ${s.gcTotalMs} ms in all, longest ${s.gcMaxMs} ms`;
