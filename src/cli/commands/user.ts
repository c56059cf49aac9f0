import fs from 'node:fs';
import type { Command } from 'commander';
import { CLASSIFICATIONS } from '../../domain/classification.js';
import { ROLES } from '../../domain/roles.js';
import type { IdentitiesService } from '../../server/modules/identities/index.js';
import { explain, withDatabase } from '../context.js';

function password(opts: { password?: string; passwordStdin?: boolean }): string {
  if (opts.passwordStdin) return fs.readFileSync(0, 'utf8').split('\n')[0]!.trim();
  if (opts.password) return opts.password;
  throw new Error('give the password with --password <pw> or --password-stdin');
}

async function run(fn: (s: IdentitiesService) => Promise<string>): Promise<void> {
  const { identitiesService } = await import('../../server/modules/identities/index.js');
  await withDatabase(async (d) => {
    try {
      console.log(await fn(identitiesService(d.db, 12)));
    } catch (e) {
      throw new Error(explain(e));
    }
  });
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage user accounts');
  user
    .command('add <username>')
    .description('Add a local user account')
    .requiredOption('-o, --org <code>', 'organisation code, e.g. USA-CMCC')
    .requiredOption('-r, --roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('-c, --clearance <level>', `one of ${CLASSIFICATIONS.join(', ')}`, 'UNCLASSIFIED')
    .option('-n, --name <display name>', 'display name')
    .option('--password <password>', 'the password (visible in the shell history; prefer --password-stdin)')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(
      (
        username: string,
        o: {
          org: string;
          roles: string;
          clearance: string;
          name?: string;
          password?: string;
          passwordStdin?: boolean;
        },
      ) =>
        run(async (s) => {
          await s.addUser({
            username,
            displayName: o.name,
            organisation: o.org,
            roles: o.roles
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean),
            clearance: o.clearance.toUpperCase(),
            password: password(o),
          });
          return `added ${username.toLowerCase()}`;
        }),
    );
  user
    .command('disable <username>')
    .description('Disable an account and end its sessions')
    .action((username: string) =>
      run(async (s) => {
        await s.setDisabled(username, true);
        return `disabled ${username}`;
      }),
    );
  user
    .command('enable <username>')
    .description('Enable a disabled account')
    .action((username: string) =>
      run(async (s) => {
        await s.setDisabled(username, false);
        return `enabled ${username}`;
      }),
    );
  user
    .command('reset-password <username>')
    .description('Set a new password, clear a lockout and end the sessions')
    .option('--password <password>', 'the new password')
    .option('--password-stdin', 'read the new password from standard input')
    .action((username: string, o: { password?: string; passwordStdin?: boolean }) =>
      run(async (s) => {
        await s.resetPassword(username, password(o));
        return `password reset for ${username}`;
      }),
    );
  user
    .command('list')
    .description('List user accounts')
    .action(() =>
      run(async (s) =>
        (await s.listUsers())
          .map(
            (u) =>
              `${u.username.padEnd(16)} ${u.organisation.padEnd(10)} ${String(u.clearance).padEnd(13)} ${u.roles.join(',')}${u.disabled ? ' (disabled)' : ''}${u.locked ? ' (locked)' : ''}`,
          )
          .join('\n'),
      ),
    );
}
