/** The V8 CPU profiler of this process (node:inspector), reduced to the functions with the most self time. */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples?: number[];
  timeDeltas?: number[];
}

export async function startNodeProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return session;
}

/** Stops, saves the profile (for Chrome DevTools) and returns the busiest functions as text. */
export async function stopNodeProfile(session: Session, file: string, top = 25): Promise<string> {
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  session.disconnect();
  fs.writeFileSync(file, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id);
    const us = deltas[i + 1] ?? 0;
    if (!n) return;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  });
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) =>
        `    ${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`,
    );
  return [`  server main thread, ${(total / 1e6).toFixed(1)} s sampled (self time):`, ...rows].join('\n');
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** V8's sampling heap profiler, counting objects that minor and major GCs collected too: allocation, not retention. */
export async function startHeapSampling(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return session;
}

/** Stops, saves the profile (.heapprofile, for Chrome DevTools) and returns the sites that allocated most as text. */
export async function stopHeapSampling(
  session: Session,
  file: string,
  seconds: number,
  top = 25,
): Promise<string> {
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
    profile: { head: SamplingNode };
  };
  session.disconnect();
  fs.writeFileSync(file, JSON.stringify(profile));
  const self = new Map<string, number>();
  let total = 0;
  const walk = (n: SamplingNode) => {
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const mbs = (b: number) => (b / 1e6 / seconds).toFixed(1).padStart(6);
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, b]) => `    ${mbs(b)} MB/s ${((b / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
  return [
    `  server main thread allocated ${mbs(total)} MB/s (sampled, by allocating function):`,
    ...rows,
  ].join('\n');
}
