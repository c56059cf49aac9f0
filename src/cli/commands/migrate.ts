import type { Command } from 'commander';
import { withDatabase } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (start does this too)')
    .action(async () => {
      // openDatabase migrates; nothing else to do.
      await withDatabase(async (d) => {
        console.log(`database is migrated (${d.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
      });
    });
}
