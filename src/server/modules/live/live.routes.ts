import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameOriginOrToken } from '../../platform/origin.js';
import { CLOSE, type LiveHub, type Revalidate } from './live.hub.js';

/** `/api/v1/live`: authenticated by the session cookie (same origin only) or an API token. */
export function liveRoutes(hub: LiveHub, credentialsOf: (req: FastifyRequest) => Revalidate) {
  return async (app: FastifyInstance) => {
    app.get(
      '/live',
      { websocket: true, schema: { tags: ['live'], summary: 'Live updates (WebSocket)' } },
      (socket, req) => {
        if (!req.viewer) {
          socket.close(CLOSE.unauthenticated, 'log in or send an API token');
          return;
        }
        if (!sameOriginOrToken(req)) {
          socket.close(CLOSE.unauthenticated, 'cross-origin WebSocket refused');
          return;
        }
        hub.accept(socket, req.viewer, credentialsOf(req));
      },
    );
  };
}
