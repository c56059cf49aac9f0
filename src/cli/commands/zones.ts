import fs from 'node:fs';
import type { Command } from 'commander';
import type { Marking } from '../../domain/marking.js';
import type { Db } from '../../server/db/database.js';
import { explain, withDatabase } from '../context.js';

/** The server code, loaded only when a command runs so that `--help` stays quick. */
async function server() {
  const [{ identitiesStore, toViewer }, { zonesService }, { Value }, { MarkingSchema }] = await Promise.all([
    import('../../server/modules/identities/index.js'),
    import('../../server/modules/zones/index.js'),
    import('typebox/value'),
    import('../../domain/marking.js'),
  ]);
  return {
    zonesService,
    async viewerOf(db: Db, username: string) {
      const row = await identitiesStore.findUserByName(db.app, username);
      if (!row) throw new Error(`unknown user ${username}`);
      return toViewer(row);
    },
    /** `CLASSIFICATION//REL TO A, B` or a JSON marking. */
    parseMarking(s: string | undefined): Marking | undefined {
      if (!s) return undefined;
      const m = /^([A-Z]+)\/\/REL TO (.+)$/.exec(s.trim());
      const marking = m
        ? { classification: m[1], releasableTo: m[2]!.split(',').map((x) => x.trim()) }
        : JSON.parse(s);
      if (!Value.Check(MarkingSchema, marking)) throw new Error(`not a valid marking: ${s}`);
      return marking as Marking;
    },
  };
}

export function registerZones(program: Command): void {
  const zones = program.command('zones').description('Import and export zones as GeoJSON');
  zones
    .command('import <file>')
    .description('Import a GeoJSON FeatureCollection of zones as a user (per-feature errors are listed)')
    .requiredOption('-u, --as <username>', 'the user the zones are created by (their releasability applies)')
    .option('-m, --marking <marking>', 'default marking, e.g. "UNCLASSIFIED//REL TO ALL"')
    .option('--dry-run', 'check only; write nothing')
    .action(async (file: string, o: { as: string; marking?: string; dryRun?: boolean }) => {
      let body: unknown;
      try {
        body = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`${file} is not readable JSON: ${(e as Error).message}`);
      }
      await withDatabase(async (d) => {
        const { viewerOf, zonesService, parseMarking } = await server();
        const viewer = await viewerOf(d.db, o.as);
        try {
          const r = await zonesService(d.db).importCollection(viewer, body, {
            dryRun: !!o.dryRun,
            defaultMarking: parseMarking(o.marking),
          });
          for (const e of r.errors) {
            console.error(
              `feature ${e.index}${e.name ? ` (${e.name})` : ''}: ${e.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
            );
          }
          console.log(
            `${o.dryRun ? 'valid' : 'imported'}: ${o.dryRun ? r.valid : r.created.length}, rejected: ${r.errors.length}`,
          );
          if (r.errors.length) process.exitCode = 1;
        } catch (e) {
          throw new Error(explain(e));
        }
      });
    });
  zones
    .command('export')
    .description('Export the zones a user may see as a GeoJSON FeatureCollection')
    .requiredOption('-u, --as <username>', 'export what this user may see')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--at <time>', 'the zones in force at this ISO 8601 time')
    .action(async (o: { as: string; out?: string; at?: string }) => {
      const at = o.at ? new Date(o.at) : undefined;
      if (at && Number.isNaN(at.getTime())) throw new Error(`--at is not a time: ${o.at}`);
      await withDatabase(async (d) => {
        const { viewerOf, zonesService } = await server();
        const fc = await zonesService(d.db).list(await viewerOf(d.db, o.as), { at });
        const text = `${JSON.stringify(fc, null, 2)}\n`;
        if (o.out) {
          fs.writeFileSync(o.out, text);
          console.error(`wrote ${fc.features.length} zones (${fc.markingText}) to ${o.out}`);
        } else process.stdout.write(text);
      });
    });
}
