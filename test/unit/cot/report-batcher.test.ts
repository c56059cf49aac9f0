import { describe, expect, it } from 'vitest';
import type { ValidReport } from '../../../src/domain/position-reports.js';
import type { Viewer } from '../../../src/domain/viewer.js';
import { type BatchOutcome, ReportBatcher } from '../../../src/server/ingest/cot/report-batcher.js';
import type { ReportResult } from '../../../src/server/modules/tracks/index.js';
import { plainReport } from '../../support/fixtures.js';

const viewer = { username: 'usa.monitor' } as Viewer;
const report = (i: number) => plainReport(`R-${i}`, 1_700_000_000_000 + i);

/** A tracks sink whose calls stay open until the test ends them. */
function slowSink() {
  const calls: { reports: ValidReport[]; end(): void }[] = [];
  return {
    calls,
    sink: {
      reportChecked(_v: Viewer, reports: ValidReport[]): Promise<ReportResult> {
        return new Promise((resolve) =>
          calls.push({ reports, end: () => resolve({ accepted: reports.length, rejected: [] }) }),
        );
      },
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

/** A batcher over a slow sink, lingering 1 ms. */
function batcher(
  o: { maxBatch: number; highWater: number; inFlight: number },
  done: (o: BatchOutcome) => void = () => undefined,
) {
  const { calls, sink } = slowSink();
  const b = new ReportBatcher(viewer, sink, done, () => undefined, { lingerMs: 1, ...o });
  return { calls, b };
}

describe('ReportBatcher: one user’s reports into tracks', () => {
  it('keeps at most two batches in flight and sends what came meanwhile in the next', async () => {
    const done: BatchOutcome[] = [];
    const { calls, b } = batcher({ maxBatch: 100, highWater: 1000, inFlight: 2 }, (o) => done.push(o));
    b.add(report(1));
    await tick();
    b.add(report(2));
    await tick();
    for (let i = 3; i <= 6; i++) b.add(report(i));
    await tick();
    expect(calls.map((c) => c.reports.map((r) => r.uid))).toEqual([['R-1'], ['R-2']]);
    calls[0]!.end();
    await tick();
    expect(calls[2]!.reports.map((r) => r.uid)).toEqual(['R-3', 'R-4', 'R-5', 'R-6']);
    const flushed = b.flush();
    let settled = false;
    void flushed.then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    calls[1]!.end();
    calls[2]!.end();
    await flushed;
    expect(done.map((o) => o.accepted)).toEqual([1, 1, 4]);
  });

  it('asks the connections to pause above the high-water mark, and lets them go on once drained', async () => {
    const { calls, b } = batcher({ maxBatch: 2, highWater: 3, inFlight: 1 });
    expect(b.add(report(1))).toBe(true);
    await tick();
    expect(b.add(report(2))).toBe(true);
    expect(b.add(report(3))).toBe(true);
    expect(b.add(report(4))).toBe(false);
    let resumed = false;
    void b.whenDrained().then(() => {
      resumed = true;
    });
    await tick();
    expect(resumed).toBe(false);
    calls[0]!.end();
    await tick();
    expect(resumed).toBe(true);
  });

  it('on close, drops what is queued and waits for the batches in flight', async () => {
    const { calls, b } = batcher({ maxBatch: 1, highWater: 100, inFlight: 1 });
    b.add(report(1));
    await tick();
    b.add(report(2));
    b.add(report(3));
    let dropped: number | null = null;
    void b.close().then((n) => {
      dropped = n;
    });
    await tick();
    expect(dropped).toBeNull();
    calls[0]!.end();
    await tick();
    expect(dropped).toBe(2);
    expect(calls).toHaveLength(1);
  });
});
