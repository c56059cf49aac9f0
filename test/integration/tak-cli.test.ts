import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identitiesService } from '../../src/server/modules/identities/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { type CliResult, runCli } from '../support/process.js';

/** `concord tak cert` as a child process against a fresh test database. */

let t: TestDatabase;
let tmp: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-tak-cli-'));
  await identitiesService(t.db, 12).setDisabled('can.viewer', true);
});
afterAll(async () => {
  await t?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<CliResult> =>
  runCli(args, { DATABASE_URL: t.url, CONCORD_DATA_DIR: path.join(tmp, 'data') }, { timeoutMs: 90_000 });
const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

function readP12(file: string, password: string) {
  const p12 = forge.pkcs12.pkcs12FromAsn1(
    forge.asn1.fromDer(fs.readFileSync(file).toString('binary')),
    password,
  );
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).map(
    (b) => b.cert!,
  );
  const keys =
    p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  return { certs, keys };
}

it("issues a PKCS#12 for a user, signed by the CA in the data folder, with ATAK's default password", async () => {
  const out = path.join(tmp, 'out');
  const r = await cli(['tak', 'cert', 'usa.monitor', '--out', out]);
  expect(r.code, show(r)).toBe(0);
  expect(r.stdout).toContain('atakatak');
  for (const f of ['usa.monitor.p12', 'usa.monitor.pem', 'usa.monitor.key', 'truststore.p12'])
    expect(fs.existsSync(path.join(out, f)), f).toBe(true);
  expect(fs.statSync(path.join(tmp, 'data/tak/ca.key')).mode & 0o777).toBe(0o600);
  const ca = forge.pki.certificateFromPem(fs.readFileSync(path.join(tmp, 'data/tak/ca.pem'), 'utf8'));
  const { certs, keys } = readP12(path.join(out, 'usa.monitor.p12'), 'atakatak');
  expect(keys).toHaveLength(1);
  const client = certs.find((c) => c.subject.getField('CN').value === 'usa.monitor')!;
  expect(ca.verify(client)).toBe(true);
  const trust = readP12(path.join(out, 'truststore.p12'), 'atakatak');
  expect(trust.keys).toHaveLength(0);
  expect(trust.certs.map((c) => c.subject.getField('CN').value)).toEqual(['Concord TAK CA']);
  expect(() => readP12(path.join(out, 'usa.monitor.p12'), 'wrong')).toThrow();
}, 120_000);

it('refuses unknown and disabled users with a clear message', async () => {
  const [unknown, disabled, custom] = await Promise.all([
    cli(['tak', 'cert', 'nobody.here', '--out', tmp]),
    cli(['tak', 'cert', 'can.viewer', '--out', tmp]),
    cli(['tak', 'cert', 'usa.planner', '--out', path.join(tmp, 'p'), '--password', 's3cret-pw']),
  ]);
  expect(unknown.code, show(unknown)).toBe(1);
  expect(unknown.stderr).toMatch(/unknown user nobody\.here/);
  expect(disabled.code, show(disabled)).toBe(1);
  expect(disabled.stderr).toMatch(/can\.viewer is disabled/);
  expect(fs.existsSync(path.join(tmp, 'can.viewer.p12'))).toBe(false);
  expect(custom.code, show(custom)).toBe(0);
  expect(readP12(path.join(tmp, 'p/usa.planner.p12'), 's3cret-pw').keys).toHaveLength(1);
}, 120_000);
