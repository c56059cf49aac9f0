import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { withDatabase } from '../context.js';

export function registerDemo(program: Command): void {
  const demo = program.command('demo').description('The synthetic demo scenario');
  demo
    .command('reset')
    .description('DELETE ALL DATA and load the demo scenario again')
    .option('-y, --yes', 'confirm that all data may be deleted')
    .action(async (opts: { yes?: boolean }) => {
      if (!opts.yes) {
        console.error(
          'concord: demo reset deletes ALL data in this Concord. Run it again with --yes to confirm.',
        );
        process.exitCode = 2;
        return;
      }
      const { demoPassword } = loadConfig();
      const { loadDemo } = await import('../../demo/load.js');
      const { deleteAllData } = await import('../../server/db/reset.js');
      await withDatabase(async (d) => {
        await deleteAllData(d.db);
        const s = await loadDemo(d.db, demoPassword);
        console.log(
          `demo loaded: ${s.organisations} organisations, ${s.users.length} users, ${s.zones} zones, ${s.incidents} incidents, ${s.facilities} facilities, ${s.notifications} notifications, ${s.aid.consignments} consignments`,
        );
        console.log(`demo password: ${demoPassword}`);
        for (const u of s.users)
          console.log(
            `  ${u.username.padEnd(14)} ${u.organisation.padEnd(10)} ${u.clearance.padEnd(13)} ${u.roles.join(', ')}`,
          );
        console.log('A running Concord shows the new data after its users log in again.');
      });
    });
}
