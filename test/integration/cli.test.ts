import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import { type BuiltApp, buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { DEMO_PASSWORD } from '../support/constants.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { squareZone } from '../support/fixtures.js';
import { type CliResult, runCli } from '../support/process.js';
import { Client } from '../support/server.js';

/** The `concord` command line as a child process against a fresh test database (DATABASE_URL). */

let t: TestDatabase;
let built: BuiltApp;
let tmp: string;

beforeAll(async () => {
  t = await createTestDatabase();
  built = await buildApp(
    loadConfig({ NODE_ENV: 'test' }, { webDir: '/nonexistent' }),
    t.db,
    pino({ level: 'silent' }),
  );
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-cli-'));
});
afterAll(async () => {
  await built?.app.close();
  await t?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[], input?: string): Promise<CliResult> =>
  runCli(args, { DATABASE_URL: t.url, CONCORD_DEMO_PASSWORD: DEMO_PASSWORD }, { input });

const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

function login(username: string, password: string) {
  return built.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    payload: { username, password },
  });
}

/** Runs tasks a few at a time: each CLI start costs a couple of seconds of a 2-core machine. */
async function inBatches<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('help', () => {
  it('prints usage for the program and for each command, exit 0', async () => {
    const commands: [string[], string[]][] = [
      // The program's own help lists the command groups; each command below then prints its usage.
      [[], ['start', 'migrate', 'demo', 'user', 'zones']],
      [['start'], ['--port', '--no-demo']],
      [['migrate'], ['migrations']],
      [
        ['demo', 'reset'],
        ['--yes', 'DELETE ALL DATA'],
      ],
      [
        ['user', 'add'],
        ['--org', '--roles', '--clearance', '--password-stdin'],
      ],
      [['user', 'disable'], ['<username>']],
      [['user', 'enable'], ['<username>']],
      [['user', 'reset-password'], ['--password-stdin']],
      [['user', 'list'], ['List']],
      [
        ['zones', 'import'],
        ['<file>', '--as', '--marking', '--dry-run'],
      ],
      [
        ['zones', 'export'],
        ['--as', '--out', '--at'],
      ],
    ];
    const results = await inBatches(commands, 3, ([cmd]) => cli([...cmd, '--help']));
    commands.forEach(([cmd, mentions], i) => {
      const r = results[i]!;
      expect(r.code, `${cmd.join(' ')} --help\n${show(r)}`).toBe(0);
      expect(r.stdout).toContain(`Usage: concord${cmd.length ? ` ${cmd.join(' ')}` : ''}`);
      for (const m of mentions) expect(r.stdout, `${cmd.join(' ')} --help`).toContain(m);
    });
  }, 300_000);

  it('exits non-zero on an unknown command or a missing required option, saying what is wrong', async () => {
    const [unknown, noOrg] = await Promise.all([
      cli(['frobnicate']),
      cli(['user', 'add', 'someone', '--roles', 'viewer']),
    ]);
    expect(unknown.code, show(unknown)).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(noOrg.code, show(noOrg)).not.toBe(0);
    expect(noOrg.stderr).toMatch(/--org/);
  }, 240_000);
});

describe('migrate', () => {
  it('succeeds on a migrated database', async () => {
    const r = await cli(['migrate']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('database is migrated (DATABASE_URL)');
  }, 240_000);
});

describe('user', () => {
  it('adds a user with --password-stdin who can then log in through the API', async () => {
    const r = await cli(
      [
        'user',
        'add',
        'CLI.Person',
        '--org',
        'OCHA',
        '--roles',
        'humanitarian, viewer',
        '--clearance',
        'restricted',
        '--name',
        'C. Line',
        '--password-stdin',
      ],
      'cli-secret-pw-1\n',
    );
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('added cli.person');
    expect(r.stdout + r.stderr).not.toContain('cli-secret-pw-1');
    const ok = await login('cli.person', 'cli-secret-pw-1');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      username: 'cli.person',
      displayName: 'C. Line',
      organisation: 'OCHA',
      clearance: 'RESTRICTED',
      roles: ['humanitarian', 'viewer'],
    });
    const list = await cli(['user', 'list']);
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout).toMatch(/cli\.person\s+OCHA\s+RESTRICTED\s+humanitarian,viewer/);
    expect(list.stdout).toContain('usa.planner');
  }, 240_000);

  it('refuses an unknown organisation, a bad role, a short password, a duplicate, with a clear message', async () => {
    const cases: [string[], string, RegExp][] = [
      [
        ['user', 'add', 'cli.noorg', '--org', 'NOPE-ORG', '--roles', 'viewer', '--password-stdin'],
        'long-enough-pw\n',
        /Unknown organisation NOPE-ORG/,
      ],
      [
        ['user', 'add', 'cli.badrole', '--org', 'OCHA', '--roles', 'viewer,emperor', '--password-stdin'],
        'long-enough-pw\n',
        /Unknown role\(s\) emperor/,
      ],
      [
        [
          'user',
          'add',
          'cli.badclear',
          '--org',
          'OCHA',
          '--roles',
          'viewer',
          '--clearance',
          'cosmic',
          '--password-stdin',
        ],
        'long-enough-pw\n',
        /Unknown clearance COSMIC/,
      ],
      [
        ['user', 'add', 'cli.short', '--org', 'OCHA', '--roles', 'viewer', '--password-stdin'],
        'short\n',
        /at least 10 characters/,
      ],
      [['user', 'add', 'cli.nopw', '--org', 'OCHA', '--roles', 'viewer'], '', /--password/],
      [
        ['user', 'add', 'usa.planner', '--org', 'OCHA', '--roles', 'viewer', '--password-stdin'],
        'long-enough-pw\n',
        /exists already/,
      ],
    ];
    const results = await inBatches(cases, 3, ([args, input]) => cli(args, input));
    cases.forEach(([args, , message], i) => {
      const r = results[i]!;
      expect(r.code, `${args.join(' ')}\n${show(r)}`).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
    });
    for (const name of ['cli.noorg', 'cli.badrole', 'cli.badclear', 'cli.short', 'cli.nopw'])
      expect((await login(name, 'long-enough-pw')).statusCode).toBe(401);
  }, 240_000);

  it('disables and enables a user: a disabled user cannot log in and loses the session', async () => {
    const c = await Client.login(built.app, 'can.viewer');
    const off = await cli(['user', 'disable', 'can.viewer']);
    expect(off.code, show(off)).toBe(0);
    expect(off.stdout).toContain('disabled can.viewer');
    expect([401, 403]).toContain((await login('can.viewer', DEMO_PASSWORD)).statusCode);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    const [list, unknown] = await Promise.all([
      cli(['user', 'list']),
      cli(['user', 'disable', 'nobody.here']),
    ]);
    expect(list.stdout).toMatch(/can\.viewer.*\(disabled\)/);
    const on = await cli(['user', 'enable', 'can.viewer']);
    expect(on.code, show(on)).toBe(0);
    expect((await login('can.viewer', DEMO_PASSWORD)).statusCode).toBe(200);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nobody.here does not exist');
  }, 240_000);

  it('resets a password, which clears a lockout and ends the sessions', async () => {
    const c = await Client.login(built.app, 'liaison.pal');
    for (let i = 0; i < 5; i++)
      expect((await login('liaison.pal', `wrong-password-${i}`)).statusCode).toBe(401);
    expect((await login('liaison.pal', DEMO_PASSWORD)).statusCode).toBe(423);
    const [list, short] = await Promise.all([
      cli(['user', 'list']),
      cli(['user', 'reset-password', 'liaison.pal', '--password-stdin'], 'tiny\n'),
    ]);
    expect(list.stdout).toMatch(/liaison\.pal.*\(locked\)/);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 10 characters');

    const r = await cli(['user', 'reset-password', 'liaison.pal', '--password-stdin'], 'a-brand-new-pw\n');
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('password reset for liaison.pal');
    expect((await login('liaison.pal', 'a-brand-new-pw')).statusCode).toBe(200);
    expect((await login('liaison.pal', DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  }, 240_000);
});

describe('zones', () => {
  it('exports what a user may see as a FeatureCollection, to stdout or a file', async () => {
    const file = path.join(tmp, 'usa.geojson');
    const [ngo, usa, unknown] = await Promise.all([
      cli(['zones', 'export', '--as', 'ngo.field']),
      cli(['zones', 'export', '--as', 'usa.planner', '-o', file]),
      cli(['zones', 'export', '--as', 'nobody.here']),
    ]);
    expect(ngo.code, show(ngo)).toBe(0);
    const fc = JSON.parse(ngo.stdout) as {
      type: string;
      features: { properties: { name: string } }[];
      markingText: string;
    };
    expect(fc.type).toBe('FeatureCollection');
    const names = fc.features.map((f) => f.properties.name);
    expect(names).toContain('Gaza Strip');
    expect(names).not.toContain('NAI 3 (synthetic)');
    expect(fc.markingText).toMatch(/^UNCLASSIFIED\/\/REL TO /);

    expect(usa.code, show(usa)).toBe(0);
    expect(usa.stdout).toBe('');
    expect(usa.stderr).toMatch(/wrote \d+ zones \(SECRET\/\/REL TO USA\) to /);
    const usaNames = (JSON.parse(fs.readFileSync(file, 'utf8')) as typeof fc).features.map(
      (f) => f.properties.name,
    );
    expect(usaNames).toContain('NAI 3 (synthetic)');

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown user nobody.here');
  }, 240_000);

  it('imports the good features of a file, lists the bad one with its reason and exits 1', async () => {
    const m: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
    const file = path.join(tmp, 'import.geojson');
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: squareZone('a', m, 34.31).geometry,
            properties: { name: 'CLI import A', kind: 'sector' },
          },
          {
            type: 'Feature',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [34, 31],
                  [34.1, 31],
                  [34.1, 31.1],
                ],
              ],
            },
            properties: { name: 'CLI broken B', kind: 'sector' },
          },
          {
            type: 'Feature',
            geometry: squareZone('c', m, 34.33).geometry,
            properties: { name: 'CLI import C', kind: 'humanitarian-zone' },
          },
        ],
      }),
    );
    const dry = await cli([
      'zones',
      'import',
      file,
      '--as',
      'usa.planner',
      '--marking',
      'UNCLASSIFIED//REL TO ALL',
      '--dry-run',
    ]);
    expect(dry.code, show(dry)).toBe(1);
    expect(dry.stdout).toContain('valid: 2, rejected: 1');
    const before = await Client.login(built.app, 'ngo.field');
    expect(
      (await before.get('/api/v1/zones?q=CLI%20import')).json<{ features: unknown[] }>().features,
    ).toHaveLength(0);

    const r = await cli([
      'zones',
      'import',
      file,
      '--as',
      'usa.planner',
      '--marking',
      'UNCLASSIFIED//REL TO ALL',
    ]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toContain('imported: 2, rejected: 1');
    expect(r.stderr).toMatch(/feature 1 \(CLI broken B\): geometry\.coordinates\[0\] .*at least 4/);
    expect(r.stderr).not.toContain('CLI import A');
    const names = (await before.get('/api/v1/zones?q=CLI')).json<{
      features: { properties: { name: string } }[];
    }>();
    expect(names.features.map((f) => f.properties.name).sort()).toEqual(['CLI import A', 'CLI import C']);
  }, 240_000);

  it('refuses a file that is not JSON, a bad marking and an unknown user with exit 1 and a message', async () => {
    const notJson = path.join(tmp, 'not.json');
    fs.writeFileSync(notJson, 'type,name\nsector,A\n');
    const fcFile = path.join(tmp, 'empty.geojson');
    fs.writeFileSync(fcFile, JSON.stringify({ type: 'FeatureCollection', features: [] }));
    const [a, b, c, d] = await Promise.all([
      cli(['zones', 'import', notJson, '--as', 'usa.planner']),
      cli(['zones', 'import', fcFile, '--as', 'usa.planner', '--marking', 'SECRET//REL TO usa']),
      cli(['zones', 'import', fcFile, '--as', 'nobody.here']),
      cli(['zones', 'import', path.join(tmp, 'missing.geojson'), '--as', 'usa.planner']),
    ]);
    expect(a.code, show(a)).toBe(1);
    expect(a.stderr).toContain('is not readable JSON');
    expect(b.code, show(b)).toBe(1);
    expect(b.stderr).toContain('not a valid marking');
    expect(c.code, show(c)).toBe(1);
    expect(c.stderr).toContain('unknown user nobody.here');
    expect(d.code, show(d)).toBe(1);
    expect(d.stderr).toContain('missing.geojson');
    for (const r of [a, b, c, d]) expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
  }, 240_000);
});

describe('demo reset', () => {
  it('refuses without --yes (exit 2) and deletes nothing', async () => {
    const r = await cli(['demo', 'reset']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain('--yes');
    const c = await Client.login(built.app, 'usa.planner');
    expect((await c.get('/api/v1/zones?q=NAI')).json<{ features: unknown[] }>().features).toHaveLength(1);
  }, 240_000);
});
