/** Chromium's sampling CPU profiler over CDP, reduced to where the main thread spent its time. */
import fs from 'node:fs';
import type { CDPSession } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

/**
 * Stops the profiler and returns the functions with the most self time, idle excluded; `saveAs`
 * also keeps the whole profile (a `.cpuprofile` that Chromium's DevTools opens).
 */
export async function stopProfile(cdp: CDPSession, top = 15, saveAs?: string): Promise<HotFunction[]> {
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await cdp.send('Profiler.disable');
  if (saveAs) fs.writeFileSync(saveAs, JSON.stringify(profile));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const node = byNode.get(id);
    // A sample's time is the gap to the next sample.
    const us = deltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const f = node.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const where = file ? `${file}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const key = `${f.functionName}@${where}`;
    const entry = self.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    self.set(key, entry);
    total += us;
  });
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({
      name: e.name,
      where: e.where,
      selfMs: Math.round(e.us / 100) / 10,
      share: total ? Math.round((e.us / total) * 1000) / 10 : 0,
    }));
}

export function formatHot(title: string, hot: HotFunction[]): string {
  const rows = hot.map(
    (h) =>
      `    ${h.selfMs.toFixed(1).padStart(8)} ms ${h.share.toFixed(1).padStart(5)} %  ${h.name}  ${h.where}`,
  );
  return [`  ${title} (self time, busiest functions first):`, ...rows].join('\n');
}
