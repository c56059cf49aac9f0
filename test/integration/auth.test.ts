import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/constants.js';
import { squareZone } from '../support/fixtures.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
}

let s: TestServer;
let admin: Client;
let ip = 0;

beforeAll(async () => {
  s = await startTestServer();
  admin = await Client.login(s.app, 'admin');
});
afterAll(() => s.close());

/** Each scenario logs in from its own address so that the per-address limiter of one does not spill into another. */
const nextIp = () => `10.0.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

function login(username: string, password: string, remoteAddress = nextIp()) {
  return s.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username, password }),
  });
}

function expectProblem(r: LightMyRequestResponse, status: number, code: string): ProblemBody {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  const p = r.json<ProblemBody>();
  expect(p).toMatchObject({ status, code });
  expect(typeof p.detail).toBe('string');
  return p;
}

const zone = (name: string) => squareZone(name, { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] });

/** A user only this file uses, so that lockouts and disabling do not disturb the demo users. */
async function newUser(username: string, password = 'a-long-enough-pw', roles = ['planner']): Promise<void> {
  const r = await admin.post('/api/v1/users', {
    username,
    organisation: 'USA-CMCC',
    roles,
    clearance: 'SECRET',
    password,
  });
  expect(r.statusCode, r.body).toBe(201);
}

describe('login', () => {
  it('logs in with the right password and answers who is logged in', async () => {
    const r = await login('usa.planner', DEMO_PASSWORD);
    expect(r.statusCode).toBe(200);
    const body = r.json<{ username: string; csrfToken: string; clearance: string; organisation: string }>();
    expect(body).toMatchObject({ username: 'usa.planner', clearance: 'SECRET', organisation: 'USA-CMCC' });
    expect(body.csrfToken).toMatch(/^csrf_/);
    expect(r.body).not.toContain('password');

    const c = await Client.login(s.app, 'usa.planner');
    const me = await c.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json<{ username: string; csrfToken: string }>()).toMatchObject({
      username: 'usa.planner',
      csrfToken: c.csrf,
    });
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, for the whole site, with an expiry', async () => {
    const r = await login('gbr.planner', DEMO_PASSWORD);
    const cookie = r.cookies.find((c) => c.name === 'concord_session');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(String(cookie!.sameSite).toLowerCase()).toBe('strict');
    expect(cookie!.path).toBe('/');
    expect(cookie!.expires).toBeInstanceOf(Date);
    expect(cookie!.value.length).toBeGreaterThan(30);
    const raw = String(r.headers['set-cookie']);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Strict/i);
  });

  it('answers a wrong password and an unknown user alike: 401 bad-credentials, same title and detail', async () => {
    const wrong = expectProblem(await login('usa.monitor', 'not-the-password'), 401, 'bad-credentials');
    const unknown = expectProblem(await login('nobody.here', 'not-the-password'), 401, 'bad-credentials');
    expect(unknown.title).toBe(wrong.title);
    expect(unknown.detail).toBe(wrong.detail);
    expect(unknown.type).toBe(wrong.type);
    expect((await login('usa.monitor', 'not-the-password')).cookies).toEqual([]);
  });

  it('is not case-sensitive in the username', async () => {
    expect((await login('USA.Planner', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('answers 401 for /auth/me and writes without a session', async () => {
    expectProblem(await s.app.inject({ method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthenticated');
    const w = await s.app.inject({ method: 'POST', url: '/api/v1/zones', payload: zone('anon') });
    expectProblem(w, 401, 'unauthenticated');
    const bogus = await s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: 'concord_session=cs_forged' },
    });
    expectProblem(bogus, 401, 'unauthenticated');
  });

  it('ends the session on logout: the old cookie no longer works', async () => {
    const c = await Client.login(s.app, 'fra.analyst');
    const old = c.sessionCookie;
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    const out = await c.post('/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((k) => k.name === 'concord_session');
    expect(cleared?.value ?? '').toBe('');
    const replay = await s.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: old } });
    expectProblem(replay, 401, 'unauthenticated');
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  it('refuses a write without X-CSRF-Token or with a wrong one (403 csrf), accepts it with the right one', async () => {
    const c = await Client.login(s.app, 'usa.planner');
    const send = (headers: Record<string, string>) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/zones',
        headers: { cookie: c.sessionCookie, 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(zone('CSRF test')),
      });
    expectProblem(await send({}), 403, 'csrf');
    expectProblem(await send({ 'x-csrf-token': 'csrf_wrong' }), 403, 'csrf');
    expectProblem(await send({ 'x-csrf-token': `${c.csrf}x` }), 403, 'csrf');
    // The token of another session is as wrong as a made-up one.
    const other = await Client.login(s.app, 'usa.planner');
    expectProblem(await send({ 'x-csrf-token': other.csrf }), 403, 'csrf');
    const ok = await send({ 'x-csrf-token': c.csrf });
    expect(ok.statusCode, ok.body).toBe(201);
    // Nothing was written by the refused attempts.
    const list = await c.get(`/api/v1/zones?q=${encodeURIComponent('CSRF test')}`);
    expect(list.json<{ features: unknown[] }>().features).toHaveLength(1);
  });

  it('guards PUT, DELETE and logout too, but not reads', async () => {
    const c = await Client.login(s.app, 'usa.planner');
    const id = (await c.post('/api/v1/zones', zone('CSRF guarded'))).json<{ id: string }>().id;
    const noCsrf = (method: 'PUT' | 'DELETE' | 'POST', url: string, body?: unknown) =>
      s.app.inject({
        method,
        url,
        headers: {
          cookie: c.sessionCookie,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
    expectProblem(await noCsrf('PUT', `/api/v1/zones/${id}`, { ...zone('x'), version: 1 }), 403, 'csrf');
    expectProblem(await noCsrf('DELETE', `/api/v1/zones/${id}`), 403, 'csrf');
    expectProblem(await noCsrf('POST', '/api/v1/auth/logout'), 403, 'csrf');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await c.get(`/api/v1/zones/${id}`)).statusCode).toBe(200);
  });
});

describe('lockout and rate limit', () => {
  it('locks an account after 5 wrong passwords: 423 even with the right password, from any address', async () => {
    await newUser('lock.me');
    for (let i = 0; i < 5; i++)
      expectProblem(await login('lock.me', `wrong-${i}-password`), 401, 'bad-credentials');
    const p = expectProblem(await login('lock.me', 'a-long-enough-pw'), 423, 'account-locked');
    expect(p.detail).toMatch(/try again after/);
    expectProblem(await login('lock.me', 'a-long-enough-pw', '192.0.2.77'), 423, 'account-locked');
    const users = (await admin.get('/api/v1/users')).json<{ username: string; locked: boolean }[]>();
    expect(users.find((u) => u.username === 'lock.me')?.locked).toBe(true);
  });

  it('lets no more than 5 concurrent wrong guesses be checked before the lock holds', async () => {
    await newUser('race.me');
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login('race.me', `wrong-guess-${i}`, `203.0.113.${i + 1}`)),
    );
    const statuses = guesses.map((r) => r.statusCode);
    expect(statuses.filter((x) => x === 401)).toHaveLength(5);
    expect(statuses.filter((x) => x === 423)).toHaveLength(25);
    expectProblem(await login('race.me', 'a-long-enough-pw'), 423, 'account-locked');
  });

  it('does not lock after 4 wrong passwords, and a good login resets the count', async () => {
    await newUser('almost.locked');
    for (let i = 0; i < 4; i++) expect((await login('almost.locked', 'wrong-password')).statusCode).toBe(401);
    expect((await login('almost.locked', 'a-long-enough-pw')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('almost.locked', 'wrong-password')).statusCode).toBe(401);
    expect((await login('almost.locked', 'a-long-enough-pw')).statusCode).toBe(200);
  });

  it('limits login attempts per address: 429 with retry-after after 20 in a minute', async () => {
    const addr = '198.51.100.20';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login(`ghost${i}`, 'wrong-password', addr)).statusCode);
    expect(statuses.every((x) => x === 401)).toBe(true);
    const r = await login('usa.planner', DEMO_PASSWORD, addr);
    const p = expectProblem(r, 429, 'rate-limited');
    const retry = Number(r.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(p.detail).toContain(`${retry} s`);
    // Other addresses are not affected.
    expect((await login('usa.planner', DEMO_PASSWORD, '198.51.100.21')).statusCode).toBe(200);
  });

  it('counts only failures, and a success does not clear them', async () => {
    const addr = '198.51.100.30';
    for (let i = 0; i < 25; i++)
      expect((await login('usa.planner', DEMO_PASSWORD, addr)).statusCode).toBe(200);
    for (let i = 0; i < 19; i++)
      expect((await login(`ghost-b${i}`, 'wrong-password', addr)).statusCode).toBe(401);
    expect((await login('usa.planner', DEMO_PASSWORD, addr)).statusCode).toBe(200);
    expect((await login('ghost-b19', 'wrong-password', addr)).statusCode).toBe(401);
    expectProblem(await login('usa.planner', DEMO_PASSWORD, addr), 429, 'rate-limited');
  });
});

describe('API tokens', () => {
  it('creates a token, uses it as Bearer for reads and writes without CSRF, lists it without the secret, revokes it', async () => {
    const c = await Client.login(s.app, 'usa.planner');
    const created = await c.post('/api/v1/auth/tokens', { name: 'ingest bot' });
    expect(created.statusCode, created.body).toBe(201);
    const t = created.json<{ id: string; name: string; token: string }>();
    expect(t.name).toBe('ingest bot');
    expect(t.token).toMatch(/^ct_/);

    const bearer = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      s.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${t.token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
    const me = await bearer('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json<{ username: string; csrfToken?: string }>()).toMatchObject({ username: 'usa.planner' });
    expect(me.json<{ csrfToken?: string }>().csrfToken).toBeUndefined();
    expect(
      (await bearer('GET', '/api/v1/zones?q=NAI')).json<{ features: unknown[] }>().features,
    ).toHaveLength(1);
    const w = await bearer('POST', '/api/v1/zones', zone('Written by token'));
    expect(w.statusCode, w.body).toBe(201);
    expect(w.json<{ properties: { createdBy: string } }>().properties.createdBy).toBeTruthy();

    const list = await c.get('/api/v1/auth/tokens');
    expect(list.statusCode).toBe(200);
    const rows = list.json<Record<string, unknown>[]>();
    const row = rows.find((x) => x.id === t.id);
    expect(row).toMatchObject({ name: 'ingest bot', revoked_at: null });
    expect(row?.last_used_at).not.toBeNull();
    expect(list.body).not.toContain(t.token);
    expect(list.body).not.toContain(t.token.slice(3));
    for (const x of rows)
      expect(Object.keys(x).some((k) => /token|hash|secret/i.test(k) && k !== 'id')).toBe(false);

    // Another user can neither see nor revoke it.
    const other = await Client.login(s.app, 'gbr.planner');
    expect((await other.get('/api/v1/auth/tokens')).body).not.toContain(t.id);
    expectProblem(await other.del(`/api/v1/auth/tokens/${t.id}`), 404, 'not-found');

    expect((await c.del(`/api/v1/auth/tokens/${t.id}`)).statusCode).toBe(204);
    expectProblem(await bearer('GET', '/api/v1/zones'), 401, 'unauthenticated');
    expectProblem(await bearer('POST', '/api/v1/zones', zone('after revoke')), 401, 'unauthenticated');
    expectProblem(await c.del(`/api/v1/auth/tokens/${t.id}`), 404, 'not-found');
    const after = (await c.get('/api/v1/auth/tokens')).json<{ id: string; revoked_at: string | null }[]>();
    expect(after.find((x) => x.id === t.id)?.revoked_at).not.toBeNull();
  });

  it('rejects a made-up bearer token with 401 and a token name that is missing or empty with 400', async () => {
    const r = await s.app.inject({
      method: 'GET',
      url: '/api/v1/zones',
      headers: { authorization: 'Bearer ct_made_up' },
    });
    expectProblem(r, 401, 'unauthenticated');
    const c = await Client.login(s.app, 'usa.planner');
    expectProblem(await c.post('/api/v1/auth/tokens', {}), 400, 'validation');
    expectProblem(await c.post('/api/v1/auth/tokens', { name: '' }), 400, 'validation');
    expectProblem(await c.del('/api/v1/auth/tokens/not-a-uuid'), 400, 'validation');
  });
});

describe('disabled users', () => {
  it('cannot log in; their sessions and API tokens stop working at once', async () => {
    await newUser('to.disable');
    const c = await Client.login(s.app, 'to.disable', 'a-long-enough-pw');
    const token = (await c.post('/api/v1/auth/tokens', { name: 'before disable' })).json<{ token: string }>()
      .token;
    const cookie = c.sessionCookie;

    expect((await admin.post('/api/v1/users/to.disable/disable')).statusCode).toBe(204);

    const again = await login('to.disable', 'a-long-enough-pw');
    expect([401, 403]).toContain(again.statusCode);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.cookies.filter((k) => k.name === 'concord_session' && k.value)).toEqual([]);
    const viaCookie = await s.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expectProblem(viaCookie, 401, 'unauthenticated');
    const viaToken = await s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expectProblem(viaToken, 401, 'unauthenticated');
    const users = (await admin.get('/api/v1/users')).json<{ username: string; disabled: boolean }[]>();
    expect(users.find((u) => u.username === 'to.disable')?.disabled).toBe(true);
  });

  it('answers 404 when disabling an unknown user', async () => {
    expectProblem(await admin.post('/api/v1/users/nobody.at.all/disable'), 404, 'not-found');
  });
});

describe('user administration', () => {
  it('is for administrators only: 403 for others, 401 without a session', async () => {
    const planner = await Client.login(s.app, 'usa.planner');
    expectProblem(await planner.get('/api/v1/users'), 403, 'forbidden');
    expectProblem(
      await planner.post('/api/v1/users', {
        username: 'sneaky',
        organisation: 'USA-CMCC',
        roles: ['admin'],
        clearance: 'SECRET',
        password: 'a-long-enough-pw',
      }),
      403,
      'forbidden',
    );
    expectProblem(await planner.post('/api/v1/users/gbr.planner/disable'), 403, 'forbidden');
    expect((await login('gbr.planner', DEMO_PASSWORD)).statusCode).toBe(200);
    expectProblem(await s.app.inject({ method: 'GET', url: '/api/v1/users' }), 401, 'unauthenticated');
    const users = await admin.get('/api/v1/users');
    expect(users.statusCode).toBe(200);
    expect(users.body).not.toMatch(/argon2|password/i);
  });

  it('validates a new user: role, clearance, password length, organisation, username, duplicates', async () => {
    const good = {
      username: 'new.person',
      organisation: 'OCHA',
      roles: ['humanitarian'],
      clearance: 'RESTRICTED',
      password: 'a-long-enough-pw',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...good, roles: ['emperor'] }, 400, 'roles'],
      [{ ...good, roles: [] }, 400, 'roles'],
      [{ ...good, clearance: 'TOP SECRET' }, 400, 'clearance'],
      [{ ...good, password: 'short' }, 400, 'password'],
      [{ ...good, organisation: 'NOPE-ORG' }, 400, 'NOPE-ORG'],
      [{ ...good, username: 'bad name!' }, 400, 'username'],
      [{ ...good, isAdmin: true }, 400, 'isAdmin'],
      [{ ...good, password: undefined }, 400, 'password'],
    ];
    for (const [body, status, mention] of cases) {
      const r = await admin.post('/api/v1/users', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json<ProblemBody>().detail, JSON.stringify(body)).toContain(mention);
    }
    const created = await admin.post('/api/v1/users', { ...good, username: 'New.Person' });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ username: string }>().username).toBe('new.person');
    expectProblem(await admin.post('/api/v1/users', good), 409, 'conflict');
    const c = await Client.login(s.app, 'new.person', 'a-long-enough-pw');
    expect(
      (await c.get('/api/v1/auth/me')).json<{ organisation: string; clearance: string }>(),
    ).toMatchObject({
      organisation: 'OCHA',
      clearance: 'RESTRICTED',
    });
  });
});
