import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasPermission, type Permission } from '../../domain/roles.js';
import type { Viewer } from '../../domain/viewer.js';
import type { IdentitiesService } from '../modules/identities/identities.service.js';
import { problems } from './errors.js';
import { safeEqual } from './tokens.js';

export const SESSION_COOKIE = 'concord_session';

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
    authVia: 'session' | 'token' | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Checks again, later, the credentials this request came with: for long-lived WebSockets. */
export function credentialsOf(
  identities: IdentitiesService,
  req: FastifyRequest,
): () => Promise<Viewer | null> {
  const token = bearer(req) ?? tokenFromQuery(req);
  if (token) return () => identities.viewerForToken(token);
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie) return async () => (await identities.viewerForSession(cookie))?.viewer ?? null;
  return async () => null;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  return null;
}

/**
 * Resolves the viewer from the session cookie or an API token. Cookie-authenticated writes must
 * carry the session's CSRF token in `X-CSRF-Token`; token clients are not exposed to CSRF.
 */
export function registerAuth(app: FastifyInstance, identities: IdentitiesService): void {
  app.decorateRequest('viewer', null);
  app.decorateRequest('authVia', null);
  app.addHook('onRequest', async (req) => {
    const token = bearer(req) ?? tokenFromQuery(req);
    if (token) {
      req.viewer = await identities.viewerForToken(token);
      if (!req.viewer) throw problems.unauthenticated('The API token is unknown or revoked.');
      req.authVia = 'token';
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const s = await identities.viewerForSession(cookie);
    if (!s) return;
    req.viewer = s.viewer;
    req.authVia = 'session';
    if (UNSAFE.has(req.method) && !req.url.startsWith('/api/v1/auth/login')) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, s.csrf)) throw problems.csrf();
    }
  });
}

/** WebSocket clients outside a browser cannot set headers everywhere; they may pass ?access_token=. */
function tokenFromQuery(req: FastifyRequest): string | null {
  if (!req.url.startsWith('/api/v1/live')) return null;
  const q = req.query as Record<string, unknown> | undefined;
  return typeof q?.access_token === 'string' ? q.access_token : null;
}

export function requireViewer(req: FastifyRequest): Viewer {
  if (!req.viewer) throw problems.unauthenticated();
  return req.viewer;
}

export function requirePermission(req: FastifyRequest, permission: Permission): Viewer {
  const v = requireViewer(req);
  if (!hasPermission(v.roles, permission)) {
    throw problems.forbidden(`This needs one of the roles allowed to ${permission.replace(':', ' ')}.`);
  }
  return v;
}
