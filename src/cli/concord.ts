import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerMigrate } from './commands/migrate.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStart } from './commands/start.js';
import { registerTak } from './commands/tak.js';
import { registerUser } from './commands/user.js';
import { registerZones } from './commands/zones.js';

const program = new Command('concord')
  .description(
    'Concord: the common picture of a civil-military coordination centre.\nEnvironment: PORT, CONCORD_DATA_DIR, DATABASE_URL, CONCORD_DEMO_PASSWORD, LOG_LEVEL, CONCORD_TAK*.',
  )
  .showHelpAfterError()
  .exitOverride();

registerStart(program);
registerMigrate(program);
registerDemo(program);
registerSimulate(program);
registerUser(program);
registerZones(program);
registerTak(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  console.error(`concord: ${(e as Error).message}`);
  process.exit(1);
}
