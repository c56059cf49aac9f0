import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertCounts, AlertFeature, AlertHistoryEntry } from '../../src/domain/alert-status.js';
import type { Marking } from '../../src/domain/marking.js';
import { candidate } from '../support/alerts.js';
import { LiveClient } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };
const GBR_SECRET: Marking = { classification: 'SECRET', releasableTo: ['GBR'] };

let s: TestServer;
let monitor: Client;
let planner: Client;
let viewer: Client;
let gbr: Client;

beforeAll(async () => {
  s = await startTestServer({
    app: { alerts: { backoffMs: [300, 300], pollMs: 100, timeoutMs: 2000 } },
  });
  await s.listen();
  [monitor, planner, viewer, gbr] = await Promise.all([
    Client.login(s.app, 'usa.monitor'),
    Client.login(s.app, 'usa.planner'),
    Client.login(s.app, 'can.viewer'),
    Client.login(s.app, 'gbr.planner'),
  ]);
});
afterAll(() => s?.close());

const one = async (m: Marking, o?: Parameters<typeof candidate>[1]) => {
  const [a] = await s.alerts.raise([candidate(m, o)]);
  return a!;
};

describe('alert actions', () => {
  it('acknowledges, assigns, resolves and reopens with versions, and keeps the timeline', async () => {
    const a = await one(USA, { severity: 'critical' });
    expect(a.properties).toMatchObject({ status: 'open', version: 1, severity: 'critical' });
    const id = a.id;

    const ack = await monitor.post(`/api/v1/alerts/${id}/acknowledge`, { version: 1 });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<AlertFeature>().properties).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'usa.monitor',
      version: 2,
    });

    const stale = await planner.post(`/api/v1/alerts/${id}/resolve`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ code: 'conflict', currentVersion: 2 });

    const twice = await monitor.post(`/api/v1/alerts/${id}/acknowledge`, { version: 2 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'invalid-transition', currentVersion: 2 });

    const assign = await monitor.post(`/api/v1/alerts/${id}/assign`, { version: 2, assignee: 'usa.planner' });
    expect(assign.statusCode, assign.body).toBe(200);
    expect(assign.json<AlertFeature>().properties).toMatchObject({ assignee: 'usa.planner', version: 3 });

    const res = await planner.post(`/api/v1/alerts/${id}/resolve`, {
      version: 3,
      note: 'Patrol turned back.',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AlertFeature>().properties).toMatchObject({
      status: 'resolved',
      resolvedBy: 'usa.planner',
      note: 'Patrol turned back.',
      version: 4,
    });

    const re = await monitor.post(`/api/v1/alerts/${id}/reopen`, { version: 4 });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json<AlertFeature>().properties).toMatchObject({
      status: 'open',
      resolvedBy: null,
      version: 5,
    });

    const got = (await monitor.get(`/api/v1/alerts/${id}`)).json<
      AlertFeature & { actions: AlertHistoryEntry[] }
    >();
    expect(got.actions.map((x) => [x.action, x.actor, x.version])).toEqual([
      ['raised', null, 1],
      ['acknowledged', 'usa.monitor', 2],
      ['assigned', 'usa.monitor', 3],
      ['resolved', 'usa.planner', 4],
      ['reopened', 'usa.monitor', 5],
    ]);
    expect(got.actions[2]!.assignee).toBe('usa.planner');
    expect(got.actions[3]!.note).toBe('Patrol turned back.');
  });

  it('assigns only to a user who exists and may see it, saying nothing more', async () => {
    const a = await one(USA);
    const hidden = await monitor.post(`/api/v1/alerts/${a.id}/assign`, {
      version: 1,
      assignee: 'gbr.planner',
    });
    const unknown = await monitor.post(`/api/v1/alerts/${a.id}/assign`, {
      version: 1,
      assignee: 'nobody.here',
    });
    expect(hidden.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(400);
    const shape = (b: { detail: string; code: string }) => ({
      code: b.code,
      detail: b.detail.split(' to ')[0],
    });
    expect(shape(hidden.json())).toEqual(shape(unknown.json()));
    const unassign = await monitor.post(`/api/v1/alerts/${a.id}/assign`, { version: 1, assignee: null });
    expect(unassign.statusCode).toBe(200);
    const who = (await monitor.get(`/api/v1/alerts/${a.id}/assignees`)).json<{ username: string }[]>();
    expect(who.map((u) => u.username)).toContain('usa.monitor');
    expect(who.map((u) => u.username)).not.toContain('gbr.planner');
    expect(who.map((u) => u.username)).not.toContain('can.viewer');
  });

  it('lets viewers read but not act; hidden and unknown alerts are 404 alike', async () => {
    const a = await one(ALL);
    expect((await viewer.get(`/api/v1/alerts/${a.id}`)).statusCode).toBe(200);
    const r = await viewer.post(`/api/v1/alerts/${a.id}/acknowledge`, { version: 1 });
    expect(r.statusCode).toBe(403);
    const secret = await one(GBR_SECRET);
    const hidden = await monitor.post(`/api/v1/alerts/${secret.id}/acknowledge`, { version: 1 });
    const missing = await monitor.post('/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge', {
      version: 1,
    });
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.body).not.toContain(secret.properties.summary);
    expect((await monitor.get(`/api/v1/alerts/${secret.id}`)).statusCode).toBe(404);
    expect((await gbr.get(`/api/v1/alerts/${secret.id}`)).statusCode).toBe(200);
  });
});

describe('raise', () => {
  it('does not raise the same track, zone and trigger twice within the window', async () => {
    const base = candidate(USA);
    const t = base.at;
    const again = { ...base, at: t + 30_000 };
    const later = { ...base, at: t + 61_000 };
    const otherTrigger = { ...base, trigger: 'exit' as const, at: t + 10_000 };
    const first = await s.alerts.raise([base, again]);
    expect(first).toHaveLength(1);
    expect(await s.alerts.raise([{ ...base, at: t + 59_000 }])).toHaveLength(0);
    const second = await s.alerts.raise([later, otherTrigger]);
    expect(second.map((a) => a.properties.trigger).sort()).toEqual(['enter', 'exit']);
  });

  it('lists newest first with the aggregate marking and filters', async () => {
    const zoneId = crypto.randomUUID();
    const t = Date.now();
    const older = await one(ALL, { zoneId, at: t - 120_000 });
    const newer = await one(USA, { zoneId, at: t - 60_000, lon: 34.5 });
    const fc = (await monitor.get(`/api/v1/alerts?zoneId=${zoneId}`)).json<{
      features: AlertFeature[];
      markingText: string;
    }>();
    expect(fc.features.map((f) => f.id)).toEqual([newer.id, older.id]);
    expect(fc.markingText).toBe('RESTRICTED//REL TO USA');
    const boxed = (await monitor.get(`/api/v1/alerts?zoneId=${zoneId}&bbox=34.45,31,34.6,32`)).json<{
      features: AlertFeature[];
    }>();
    expect(boxed.features.map((f) => f.id)).toEqual([newer.id]);
    expect((await monitor.get('/api/v1/alerts?status=bogus')).statusCode).toBe(400);
  });
});

describe('counts and live', () => {
  it('counts what the viewer may see and pushes new alerts only to those who may see them', async () => {
    const before = (await monitor.get('/api/v1/alerts/counts')).json<AlertCounts>();
    const beforeGbr = (await gbr.get('/api/v1/alerts/counts')).json<AlertCounts>();
    const usaLive = await LiveClient.subscribed(
      s.baseUrl,
      { cookie: monitor.sessionCookie },
      { layers: ['alerts'] },
    );
    const gbrLive = await LiveClient.subscribed(
      s.baseUrl,
      { cookie: gbr.sessionCookie },
      { layers: ['alerts'] },
    );
    try {
      const secret = await one(GBR_SECRET, { severity: 'critical' });
      const usa = await one(USA, { severity: 'critical' });
      const everyone = await one(ALL, { severity: 'info' });
      await usaLive.waitFor('upsert', (m) => m.id === everyone.id, { timeoutMs: 5000 });
      await gbrLive.waitFor('upsert', (m) => m.id === everyone.id, { timeoutMs: 5000 });
      expect(usaLive.about(usa.id)).toHaveLength(1);
      expect(usaLive.raw.join('\n')).not.toContain(secret.id);
      expect(gbrLive.about(secret.id)).toHaveLength(1);
      expect(gbrLive.raw.join('\n')).not.toContain(usa.id);
      const after = (await monitor.get('/api/v1/alerts/counts')).json<AlertCounts>();
      expect(after.open - before.open).toBe(2);
      expect(after.openBySeverity.critical - before.openBySeverity.critical).toBe(1);
      const afterGbr = (await gbr.get('/api/v1/alerts/counts')).json<AlertCounts>();
      expect(afterGbr.open - beforeGbr.open).toBe(2);

      // An action is news too: the acknowledgement reaches the live client as an upsert.
      await monitor.post(`/api/v1/alerts/${usa.id}/acknowledge`, { version: 1 });
      const { msg } = await usaLive.waitFor(
        'upsert',
        (m) => m.id === usa.id && (m.feature as AlertFeature).properties.status === 'acknowledged',
        { timeoutMs: 5000 },
      );
      expect((msg.feature as AlertFeature).properties.version).toBe(2);
    } finally {
      await usaLive.close();
      await gbrLive.close();
    }
  });
});

interface Received {
  body: string;
  signature: string | undefined;
}

/** A receiver on the loopback only; answers each request with the next status of `statuses`. */
async function receiver(statuses: number[]) {
  const got: Received[] = [];
  let i = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        body: Buffer.concat(chunks).toString(),
        signature: req.headers['x-concord-signature'] as string,
      });
      res.statusCode = statuses[Math.min(i++, statuses.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhooks', () => {
  it('refuses URLs that are not http(s) or carry credentials, and viewers', async () => {
    for (const url of [
      'ftp://127.0.0.1/x',
      'http://user:pw@127.0.0.1/x',
      'not a url',
      'file:///etc/passwd',
    ]) {
      const r = await monitor.post('/api/v1/alerts/webhooks', { url });
      expect(r.statusCode, url).toBe(400);
    }
    expect((await viewer.post('/api/v1/alerts/webhooks', { url: 'http://127.0.0.1:9/x' })).statusCode).toBe(
      403,
    );
  });

  it('delivers signed alerts the owner may see, retries after a 500, and skips the others', async () => {
    const rx = await receiver([500, 200]);
    try {
      const created = await monitor.post('/api/v1/alerts/webhooks', { url: rx.url, minSeverity: 'warning' });
      expect(created.statusCode, created.body).toBe(201);
      const hook = created.json<{ id: string; secret: string }>();
      expect(hook.secret).toMatch(/^whsec_/);
      expect((await monitor.get('/api/v1/alerts/webhooks')).json<unknown[]>()).toHaveLength(1);
      expect((await planner.get('/api/v1/alerts/webhooks')).json<unknown[]>()).toHaveLength(0);
      expect((await planner.del(`/api/v1/alerts/webhooks/${hook.id}`)).statusCode).toBe(404);

      const hidden = await one(GBR_SECRET, { severity: 'critical' });
      const quiet = await one(USA, { severity: 'info' });
      const seen = await one(USA, { severity: 'critical' });
      await until(() => rx.got.length >= 2);
      // The first attempt got a 500; the retry came after the backoff with the same body.
      expect(rx.got[0]!.body).toBe(rx.got[1]!.body);
      for (const g of rx.got) {
        const want = `sha256=${createHmac('sha256', hook.secret).update(g.body).digest('hex')}`;
        expect(g.signature).toBe(want);
        const body = JSON.parse(g.body) as { event: string; alert: AlertFeature };
        expect(body.event).toBe('alert.raised');
        expect(body.alert.id).toBe(seen.id);
      }
      await new Promise((r) => setTimeout(r, 800));
      const all = rx.got.map((g) => g.body).join('\n');
      expect(all).not.toContain(hidden.id);
      expect(all).not.toContain(quiet.id);
      expect(rx.got).toHaveLength(2);
      const listed = (await monitor.get('/api/v1/alerts/webhooks')).json<
        { deliveries: { delivered: number; pending: number; failed: number } }[]
      >();
      expect(listed[0]!.deliveries).toEqual({ delivered: 1, pending: 0, failed: 0, lastError: null });
      expect((await monitor.del(`/api/v1/alerts/webhooks/${hook.id}`)).statusCode).toBe(204);
    } finally {
      await rx.close();
    }
  });

  it('gives up after the last retry and records it', async () => {
    const rx = await receiver([503]);
    try {
      const hook = (await planner.post('/api/v1/alerts/webhooks', { url: rx.url })).json<{ id: string }>();
      await one(USA, { severity: 'info' });
      // One attempt and two retries (backoff [300, 300] in this test server), then given up.
      await until(() => rx.got.length >= 3);
      let listed: { deliveries: { failed: number; lastError: string | null } }[] = [];
      for (let i = 0; i < 100 && listed[0]?.deliveries.failed !== 1; i++) {
        listed = (await planner.get('/api/v1/alerts/webhooks')).json();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(listed[0]!.deliveries).toMatchObject({ failed: 1, lastError: 'HTTP 503' });
      expect(rx.got).toHaveLength(3);
      await planner.del(`/api/v1/alerts/webhooks/${hook.id}`);
    } finally {
      await rx.close();
    }
  });
});
