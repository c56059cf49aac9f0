import type { FastifyRequest } from 'fastify';

/**
 * Browsers send cookies with cross-site WebSocket handshakes, and CSRF tokens do not apply to
 * them: a socket opened with a session cookie must come from our own origin. Tokens are not
 * sent by browsers on their own, so token sockets may come from anywhere.
 */
export function sameOriginOrToken(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  return req.authVia !== 'session' || !origin || hostOf(origin) === req.headers.host;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
