import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { problems, sendProblem } from './errors.js';

/** A request for a file (its last segment has an extension), not for a page of the client. */
const FILE = /\/[^/]*\.[A-Za-z0-9]+$/;

/** Vite names assets by content hash: they never change, so browsers may keep them. */
function cacheHeaders(res: { setHeader(name: string, value: string): unknown }, file: string): void {
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Serves the built web client. Other GETs outside the API that name no file are pages of the
 * client and get index.html. A file missing at start is looked for again (a build written while
 * the server runs); one missing on disk is a 404: a page sent for an old script would be run as
 * one, and fail with a syntax error instead of the reload it needs.
 */
export function registerWebClient(app: FastifyInstance, webDir: string): void {
  const built = fs.existsSync(path.join(webDir, 'index.html'));
  if (built) {
    void app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: cacheHeaders,
    });
  } else {
    app.get('/', (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<p>Concord API is running. The web client is not built: run <code>npm run build:web</code>.</p>',
        ),
    );
  }
  const root = path.resolve(webDir);
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0]!;
    const notFound = () => sendProblem(reply, req, problems.notFound(`${req.method} ${pathname}`));
    if (!built || req.method !== 'GET' || pathname.startsWith('/api/')) return notFound();
    if (!FILE.test(pathname)) return reply.type('text/html').sendFile('index.html');
    let file: string;
    try {
      file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    } catch {
      return notFound();
    }
    if (!file.startsWith(`${root}${path.sep}`) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile())
      return notFound();
    return reply.sendFile(path.relative(root, file));
  });
}
