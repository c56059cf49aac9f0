/**
 * Chromium performance tracing over CDP, reduced to where the page's main thread spent its time by
 * trace event (script, style, layout, paint, canvas raster, GC...): the CPU profiler lumps
 * everything outside JavaScript into "(program)".
 */
import fs from 'node:fs';
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

export interface TraceRow {
  name: string;
  selfMs: number;
  share: number;
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
  'cc',
  'gpu',
  'toplevel',
].join(',');

export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: CATEGORIES.split(','), recordMode: 'recordAsMuchAsPossible' },
  });
}

async function readStream(cdp: CDPSession, handle: string): Promise<string> {
  const parts: string[] = [];
  for (;;) {
    const r = await cdp.send('IO.read', { handle, size: 1 << 20 });
    parts.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data);
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle });
  return parts.join('');
}

/** Ends the trace; self time per event name on the busiest renderer main thread, biggest first. */
export async function stopTrace(
  cdp: CDPSession,
  top = 14,
  /** Where to keep the whole trace (for the browser's performance panel), if anywhere. */
  file?: string,
): Promise<{ rows: TraceRow[]; totalMs: number }> {
  const done = new Promise<string>((resolve) =>
    cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream ?? '')),
  );
  await cdp.send('Tracing.end');
  const handle = await done;
  const text = await readStream(cdp, handle);
  if (file) fs.writeFileSync(file, text);
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || !mains.has(key) || !e.dur) continue;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const busiest = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return summarise(busiest, top);
}

/** Self time: an event's duration less that of the events nested directly inside it. */
function summarise(events: TraceEvent[], top: number): { rows: TraceRow[]; totalMs: number } {
  events.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { e: TraceEvent; end: number; child: number }[] = [];
  let total = 0;
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= until) {
      const f = stack.pop()!;
      self.set(f.e.name, (self.get(f.e.name) ?? 0) + Math.max(0, f.e.dur! - f.child));
      const parent = stack[stack.length - 1];
      if (parent) parent.child += f.e.dur!;
      else total += f.e.dur!;
    }
  };
  for (const e of events) {
    close(e.ts);
    stack.push({ e, end: e.ts + e.dur!, child: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({
      name,
      selfMs: Math.round(us / 100) / 10,
      share: total ? Math.round((us / total) * 1000) / 10 : 0,
    }));
  return { rows, totalMs: Math.round(total / 1000) };
}

export function formatTrace(title: string, t: { rows: TraceRow[]; totalMs: number }): string {
  const rows = t.rows.map(
    (r) => `    ${r.selfMs.toFixed(1).padStart(8)} ms ${r.share.toFixed(1).padStart(5)} %  ${r.name}`,
  );
  return [`  ${title}: main thread busy ${t.totalMs} ms, self time by trace event:`, ...rows].join('\n');
}
