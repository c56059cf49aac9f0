import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squareZone } from '../support/fixtures.js';
import {
  type ConcordProcess,
  HttpClient,
  isAlive,
  killQuietly,
  postmasterPid,
  runCli,
  spawnConcord,
  waitFor,
} from '../support/process.js';

/**
 * The real `concord start` with its embedded PostgreSQL, killed like a power loss in the middle of
 * a burst of writes: every write that was acknowledged with 201 must be there after a restart.
 */

const PASSWORD = 'crash-test-demo-pw';
const BURST = 200;
const CONCURRENCY = 20;
const KILL_AFTER = 60;

let dataDir: string;
let env: Record<string, string>;
const started: ConcordProcess[] = [];
const postmasters = new Set<number>();

async function start(): Promise<ConcordProcess> {
  const p = await spawnConcord(env);
  started.push(p);
  const pm = postmasterPid(dataDir);
  if (pm) postmasters.add(pm);
  return p;
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-crash-'));
  env = { CONCORD_DATA_DIR: dataDir, CONCORD_DEMO_PASSWORD: PASSWORD };
});

afterAll(async () => {
  for (const p of started) killQuietly(p.pid);
  const pm = postmasterPid(dataDir);
  if (pm) postmasters.add(pm);
  for (const pid of postmasters) killQuietly(pid);
  await waitFor(
    'the test postmasters to end',
    () => [...postmasters].every((pid) => !isAlive(pid)),
    10_000,
  ).catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

describe('crash safety of the real server', () => {
  let running: ConcordProcess;

  it('keeps every acknowledged zone after kill -9 of Concord and PostgreSQL in the middle of a burst', async () => {
    const first = await start();
    const pg = postmasterPid(dataDir);
    expect(pg, 'postmaster.pid after the first start').not.toBeNull();
    expect(fs.readFileSync(path.join(dataDir, 'concord.lock'), 'utf8').split('\n')[0]).toBe(
      String(first.pid),
    );

    const usa = await HttpClient.login(first.url, 'usa.planner', PASSWORD);
    const run = randomBytes(4).toString('hex');
    const acknowledged = new Map<string, string | null>(); // name → id (null if the body was cut off)
    const failed: string[] = [];
    let next = 0;
    let killed = false;

    const powerLoss = () => {
      if (killed) return;
      killed = true;
      // Both at once, as a power cut would: neither Concord nor PostgreSQL gets to clean up.
      killQuietly(first.pid, 'SIGKILL');
      killQuietly(pg, 'SIGKILL');
    };

    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= BURST) return;
        const name = `crash-${run}-${String(i).padStart(3, '0')}`;
        try {
          const r = await usa.request(
            'POST',
            '/api/v1/zones',
            squareZone(
              name,
              { classification: 'RESTRICTED', releasableTo: ['USA'] },
              34.3 + (i % 50) * 0.004,
            ),
          );
          if (r.status === 201) {
            let id: string | null = null;
            try {
              id = ((await r.json()) as { id: string }).id;
            } catch {
              // The connection died after the status line: the 201 still counts as an acknowledgement.
            }
            acknowledged.set(name, id);
            if (acknowledged.size >= KILL_AFTER) powerLoss();
          } else failed.push(`${name}: ${r.status}`);
        } catch {
          failed.push(`${name}: connection failed`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(
      killed,
      `the burst ended before ${KILL_AFTER} writes were acknowledged: ${failed.slice(0, 5)}`,
    ).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.size, 'some writes must have been cut off by the kill').toBeLessThan(BURST);
    // Nothing but connection failures after the kill: the server never answered an error of its own.
    expect(failed.filter((f) => !f.endsWith('connection failed'))).toEqual([]);

    const ended = await first.exited;
    expect(ended.signal).toBe('SIGKILL');
    await waitFor('the killed postmaster to be gone', () => !isAlive(pg!), 30_000);
    // What a crash leaves behind: a stale lock and a stale postmaster.pid.
    expect(fs.existsSync(path.join(dataDir, 'concord.lock'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

    running = await start();
    expect(fs.readFileSync(path.join(dataDir, 'concord.lock'), 'utf8').split('\n')[0]).toBe(
      String(running.pid),
    );
    const again = await HttpClient.login(running.url, 'usa.planner', PASSWORD);
    const r = await again.request('GET', `/api/v1/zones?q=${encodeURIComponent(`crash-${run}-`)}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { features: { id: string; properties: { name: string } }[] };
    const found = new Map(body.features.map((f) => [f.properties.name, f.id]));
    const missing = [...acknowledged.keys()].filter((n) => !found.has(n));
    expect(missing, 'zones acknowledged with 201 but lost in the crash').toEqual([]);
    for (const [name, id] of acknowledged) if (id) expect(found.get(name)).toBe(id);
    // Only names of this burst, each at most once: the crash neither invented nor duplicated a zone.
    expect(body.features.length).toBe(found.size);
    expect(body.features.length).toBeLessThanOrEqual(BURST);

    // Sessions live in the database: the cookie from before the crash still works.
    expect((await usa.at(running.url).request('GET', '/api/v1/auth/me')).status).toBe(200);
    console.info(
      `crash: ${acknowledged.size} of ${BURST} acknowledged before the kill, ${body.features.length} found after restart`,
    );
  }, 300_000);

  it('refuses a second concord start on the same data folder with a clear message', async () => {
    expect(running, 'needs the server restarted by the previous test').toBeDefined();
    const second = await runCli(['start'], { ...env, PORT: '0', HOST: '127.0.0.1' }, { timeoutMs: 150_000 });
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.stdout + second.stderr).toContain('already using the data folder');
    // The first one is unharmed and still holds the lock.
    expect((await fetch(`${running.url}/api/v1/health`)).status).toBe(200);
    expect(fs.readFileSync(path.join(dataDir, 'concord.lock'), 'utf8').split('\n')[0]).toBe(
      String(running.pid),
    );
  }, 180_000);

  it('stops cleanly on SIGTERM: exit code 0, PostgreSQL stopped, postmaster.pid and lock gone', async () => {
    expect(running, 'needs the server restarted by the first test').toBeDefined();
    const pg = postmasterPid(dataDir);
    expect(pg).not.toBeNull();
    expect(isAlive(pg!)).toBe(true);
    running.child.kill('SIGTERM');
    const ended = await running.exited;
    expect(ended).toEqual({ code: 0, signal: null });
    await waitFor('the postmaster to stop', () => !isAlive(pg!), 60_000);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'concord.lock'))).toBe(false);
  }, 120_000);
});
