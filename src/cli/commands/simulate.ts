import type { Command } from 'commander';
import { withDatabase } from '../context.js';

function positiveNumber(what: string, s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what} must be a positive number, got "${s}"`);
  return n;
}

/** `concord demo simulate`: moves the synthetic demo tracks from the command line. */
export function registerSimulate(program: Command): void {
  // Joins the `demo` group that commands/demo.ts creates, or creates it when that is absent.
  const demo =
    program.commands.find((c) => c.name() === 'demo') ??
    program.command('demo').description('The synthetic demo scenario');
  demo
    .command('simulate')
    .description(
      'Report synthetic tracks once a second (UAVs, an ISR aircraft, aid convoys, a field team, unknown vehicles) as demo users',
    )
    .option('--seed <n>', 'seed of the scenario: the same seed moves the tracks the same way', '1')
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl+C)')
    .addHelpText(
      'after',
      '\nA running `concord start` already simulates unless CONCORD_SIMULATOR=off; run one or the other.',
    )
    .action(async (o: { seed: string; duration?: string }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${o.seed}"`);
      const duration = positiveNumber('--duration', o.duration);
      const [{ startSimulator }, { createLogger }] = await Promise.all([
        import('../../demo/simulator.js'),
        import('../../server/runtime.js'),
      ]);
      await withDatabase(async (d) => {
        const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
        const sim = await startSimulator(d.db, { seed, log });
        console.log(`simulating (seed ${seed})${duration ? ` for ${duration} s` : '; Ctrl+C to stop'}`);
        await new Promise<void>((resolve) => {
          const timer = duration ? setTimeout(done, duration * 1000) : null;
          function done() {
            if (timer) clearTimeout(timer);
            process.off('SIGINT', done);
            process.off('SIGTERM', done);
            resolve();
          }
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await sim.stop();
        const s = sim.stats;
        console.log(`stopped: ${s.ticks} ticks, ${s.reports} position reports, ${s.failures} failed batches`);
      });
    });
}
