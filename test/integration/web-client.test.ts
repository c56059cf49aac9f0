import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let s: TestServer;
let dir: string;

const get = (url: string) => s.app.inject({ method: 'GET', url });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-web-'));
  await fs.mkdir(path.join(dir, 'assets'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Concord</title>');
  await fs.writeFile(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log("built at start");');
  s = await startTestServer({ config: { webDir: dir } });
});
afterAll(async () => {
  await s?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the web client', () => {
  it('answers the pages of the client with index.html, and its assets as built', async () => {
    for (const url of ['/', '/incidents/4f0c', '/reports/daily?hours=24']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toMatch(/^text\/html/);
      expect(r.body, url).toContain('<title>Concord</title>');
    }
    const js = await get('/assets/app-1a2b.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves an asset built while it runs, and answers 404, not the page, for one that is gone', async () => {
    const old = await get('/assets/app-0000.js');
    expect(old.statusCode).toBe(404);
    expect(old.headers['content-type']).toMatch(/^application\/problem\+json/);

    await fs.writeFile(path.join(dir, 'assets', 'app-3c4d.js'), 'console.log("rebuilt");');
    const fresh = await get('/assets/app-3c4d.js');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toBe('console.log("rebuilt");');
    expect(fresh.headers['content-type']).toMatch(/javascript/);
    expect(fresh.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never serves a file outside its folder, and keeps API and other methods to problems', async () => {
    await fs.writeFile(
      path.join(path.dirname(dir), 'concord-web-secret.txt'),
      'CONTENT OUTSIDE THE WEB FOLDER',
    );
    for (const url of [
      '/..%2fconcord-web-secret.txt',
      '/assets/..%2f..%2fconcord-web-secret.txt',
      '/%2e%2e/concord-web-secret.txt',
      '/assets/%E0%A4%A.js',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.body, url).not.toContain('CONTENT OUTSIDE');
    }
    await fs.rm(path.join(path.dirname(dir), 'concord-web-secret.txt'));
    const api = await get('/api/v1/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    const post = await s.app.inject({ method: 'POST', url: '/incidents/4f0c' });
    expect(post.statusCode).toBe(404);
  });
});
