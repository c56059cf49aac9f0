import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import { Problem } from '../../platform/errors.js';
import type { TracksService } from './tracks.service.js';

/** Messages waiting on one socket beyond which it stops reading until the backlog clears. */
const MAX_QUEUED = 8;

export const STREAM_CLOSE = { unauthenticated: 4401, forbidden: 4403 } as const;

/** What the server answers to each message on /api/v1/tracks/stream. */
export type StreamReply =
  | { type: 'result'; ref?: string; accepted: number; rejected: unknown[] }
  | { type: 'error'; ref?: string; code: string; message: string; errors?: unknown };

function parse(text: string): { ref?: string; body: unknown } {
  const msg: unknown = JSON.parse(text);
  if (msg && typeof msg === 'object' && !Array.isArray(msg) && 'reports' in msg) {
    const { ref, reports } = msg as { ref?: unknown; reports: unknown };
    return { ...(typeof ref === 'string' ? { ref: ref.slice(0, 100) } : {}), body: reports };
  }
  return { body: msg };
}

/**
 * Position reports over a WebSocket, for sensors and gateways that report continuously: each
 * text message is a batch as `POST /tracks/reports` takes it (or `{ref, reports}`), answered in
 * order with its result. Reading pauses while a socket has many batches waiting, so a fast
 * sender is slowed down rather than buffered without bound.
 */
export function trackStreamRoute(tracks: TracksService, sameOrigin: (req: FastifyRequest) => boolean) {
  return async (app: FastifyInstance) => {
    app.get(
      '/tracks/stream',
      {
        websocket: true,
        schema: {
          tags: ['tracks'],
          summary: 'Report positions over a WebSocket: each message is a batch, answered with its result',
        },
      },
      (socket, req) => {
        const viewer = req.viewer;
        if (!viewer || !sameOrigin(req)) {
          socket.close(STREAM_CLOSE.unauthenticated, 'log in or send an API token');
          return;
        }
        if (!hasPermission(viewer.roles, 'tracks:report')) {
          socket.close(STREAM_CLOSE.forbidden, 'your role may not report positions');
          return;
        }
        serve(socket, viewer, tracks);
      },
    );
  };
}

function serve(socket: WebSocket, viewer: Viewer, tracks: TracksService): void {
  let queued = 0;
  let replies: Promise<void> = Promise.resolve();
  const reply = (r: StreamReply) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(r));
  };
  socket.on('message', (data, isBinary) => {
    queued++;
    if (queued >= MAX_QUEUED) socket.pause();
    // Each message is validated and folded at once, in arrival order, so the next one can join
    // the same group commit instead of waiting for this one's; only the answers wait their turn.
    const answer = handle(isBinary ? null : data.toString(), viewer, tracks);
    replies = replies.then(async () => {
      reply(await answer);
      queued--;
      if (queued < MAX_QUEUED / 2 && socket.isPaused) socket.resume();
    });
  });
}

async function handle(text: string | null, viewer: Viewer, tracks: TracksService): Promise<StreamReply> {
  let ref: string | undefined;
  try {
    if (text === null) throw new Problem(400, 'bad-request', 'Bad request', 'Send JSON text messages.');
    let parsed: { ref?: string; body: unknown };
    try {
      parsed = parse(text);
    } catch {
      throw new Problem(400, 'invalid-json', 'Invalid JSON', 'The message is not valid JSON.');
    }
    ref = parsed.ref;
    const r = await tracks.report(viewer, parsed.body);
    return { type: 'result', ...(ref ? { ref } : {}), accepted: r.accepted, rejected: r.rejected };
  } catch (e) {
    const p = e instanceof Problem ? e : null;
    return {
      type: 'error',
      ...(ref ? { ref } : {}),
      code: p?.code ?? 'internal',
      message: p?.detail ?? 'The reports could not be stored; send them again.',
      ...(p?.extra.errors ? { errors: p.extra.errors } : {}),
    };
  }
}
