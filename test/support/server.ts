import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { type AppOptions, type BuiltApp, buildApp } from '../../src/server/app.js';
import { type Config, loadConfig } from '../../src/server/config.js';
import type { HubOptions } from '../../src/server/modules/live/index.js';
import { DEMO_PASSWORD } from './constants.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestServer extends BuiltApp {
  database: TestDatabase;
  /** Base URL when listening (for WebSocket tests); empty until listen() is called. */
  baseUrl: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The whole server over a fresh demo database; never a fixed port. */
export async function startTestServer(
  opts: { hub?: HubOptions; bodyLimitBytes?: number; app?: AppOptions; config?: Partial<Config> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig(
    { NODE_ENV: 'test' },
    {
      webDir: '/nonexistent',
      ...(opts.bodyLimitBytes ? { bodyLimitBytes: opts.bodyLimitBytes } : {}),
      ...opts.config,
    },
  );
  const built = await buildApp(
    config,
    database.db,
    pino({ level: process.env.TEST_LOG ?? 'silent' }),
    opts.hub,
    opts.app,
  );
  const server: TestServer = {
    ...built,
    database,
    baseUrl: '',
    async listen() {
      await built.app.listen({ port: 0, host: '127.0.0.1' });
      const a = built.app.server.address();
      server.baseUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
      return server.baseUrl;
    },
    async close() {
      await built.app.close();
      await database.drop();
    },
  };
  return server;
}

/** A logged-in user on app.inject(): carries the cookie and the CSRF token on writes. */
export class Client {
  private cookie = '';
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  static async login(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Client> {
    const c = new Client(app);
    const r = await c.request('POST', '/api/v1/auth/login', { username, password });
    if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
    return c;
  }

  get sessionCookie(): string {
    return this.cookie;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const r = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const set = r.cookies.find((c) => c.name === 'concord_session');
    if (set) this.cookie = set.value ? `concord_session=${set.value}` : '';
    if (url === '/api/v1/auth/login' && r.statusCode === 200)
      this.csrf = r.json<{ csrfToken: string }>().csrfToken;
    return r;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body);
  put = (url: string, body?: unknown) => this.request('PUT', url, body);
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body);
  del = (url: string) => this.request('DELETE', url);
}
