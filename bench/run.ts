/**
 * `npm run bench -- <name> [options]`: runs `bench/<name>.ts`. A benchmark module exports
 * `run(args)`, prints its readable summary and returns its report, which is printed here as the very
 * last line of output, so that nothing (a late log line) can come after it.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchmarkNames } from './lib/names.js';
import type { BenchMain, BenchReport } from './lib/report.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function usage(names: string[], problem: string): never {
  process.stderr.write(
    `${problem}\nusage: npm run bench -- <name> [options]\nbenchmarks:\n${names.map((n) => `  ${n}`).join('\n')}\n`,
  );
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const names = benchmarkNames(here);
  if (!name) usage(names, 'Which benchmark?');
  if (!names.includes(name)) usage(names, `Unknown benchmark "${name}".`);
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { run?: BenchMain };
  if (typeof mod.run !== 'function') {
    // A plain script benchmark does its work and printing when imported.
    return;
  }
  const report: BenchReport = await mod.run(rest);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main(process.argv.slice(2)).then(
  // Pools, sockets or a browser left behind by a failed cleanup must not keep the run alive.
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
