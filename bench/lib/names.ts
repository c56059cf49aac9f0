import fs from 'node:fs';

/** Scripts in bench/ that are not benchmarks. */
const NOT_BENCHMARKS = new Set(['run', 'zones-generator']);

/** The benchmarks in a folder: its `<name>.ts` files, less helpers and scripts. */
export function benchmarkNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => e.name.slice(0, -'.ts'.length))
    .filter((n) => !NOT_BENCHMARKS.has(n) && !n.startsWith('_') && !n.includes('.'))
    .sort();
}
