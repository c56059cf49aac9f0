import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { withDatabase } from '../context.js';

interface CertOptions {
  out: string;
  password?: string;
}

/** Issues a client certificate after checking that the user exists and is enabled. */
async function cert(username: string, o: CertOptions): Promise<void> {
  const [{ identitiesStore }, pki] = await Promise.all([
    import('../../server/modules/identities/index.js'),
    import('../../server/ingest/cot/tak-pki.js'),
  ]);
  const name = username.toLowerCase();
  await withDatabase(async (d) => {
    const row = await identitiesStore.findUserByName(d.db.app, name);
    if (!row) throw new Error(`unknown user ${name}: add it with "concord user add" first`);
    if (row.disabled)
      throw new Error(`${name} is disabled: enable it with "concord user enable ${name}" first`);
  });
  const config = loadConfig();
  const password = o.password ?? pki.ATAK_DEFAULT_PASSWORD;
  pki.ensureTakPki(config.tak.pkiDir, config.tak.hostNames);
  const files = pki.writeClientBundle(o.out, name, pki.issueClientBundle(config.tak.pkiDir, name, password));
  console.log(
    [
      `Client certificate for ${name} (CN=${name}), signed by the Concord TAK CA in ${config.tak.pkiDir}:`,
      ...files.map((f) => `  ${f}`),
      o.password
        ? 'PKCS#12 password: as given with --password'
        : `PKCS#12 password: ${password} (ATAK's default)`,
      `In ATAK: Settings > Network > Servers > add, address <host>:${config.tak.tlsPort ?? 8089}:ssl,`,
      `  client certificate ${name}.p12, trust store truststore.p12, the password above.`,
      `Revoke it by disabling the user: concord user disable ${name}.`,
    ].join('\n'),
  );
}

export function registerTak(program: Command): void {
  const tak = program
    .command('tak')
    .description("TAK (ATAK/WinTAK/iTAK) clients: certificates from Concord's own CA");
  tak
    .command('cert <username>')
    .description('Issue a client certificate for a user: <user>.p12, <user>.pem, <user>.key, truststore.p12')
    .option('-o, --out <dir>', 'folder to write the files to', '.')
    .option('-p, --password <password>', "password of the .p12 files (default: atakatak, ATAK's default)")
    .action((username: string, o: CertOptions) => cert(username, o));
}
