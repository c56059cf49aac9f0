import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BBox } from '../../../domain/geometry.js';
import { MAX_REPORTS_PER_REQUEST, PositionReportSchema } from '../../../domain/position-reports.js';
import { MAX_REPLAY_POSITIONS, MAX_REPLAY_UIDS } from '../../../domain/replay.js';
import { TRACK_UID_PATTERN } from '../../../domain/tracks.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import { problems } from '../../platform/errors.js';
import { parseTime } from '../../platform/query.js';
import { MAX_HISTORY, type TracksService } from './tracks.service.js';

const Uid = Type.Object({ uid: Type.String({ pattern: TRACK_UID_PATTERN }) });
const Time = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));

// Documents the two accepted shapes; each report is validated on its own by the service, so
// that one bad report is a per-report error rather than a 400 for the whole batch.
const ReportsBody = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('FeatureCollection'),
        features: Type.Array(Type.Unknown(), {
          description: 'Point features; properties hold the other fields',
        }),
      },
      { additionalProperties: true },
    ),
    Type.Array(Type.Unknown(), {
      description: `Position reports: ${JSON.stringify(Object.keys(PositionReportSchema.properties))}`,
    }),
  ],
  { description: `1 to ${MAX_REPORTS_PER_REQUEST} position reports` },
);

function parseBbox(s: string | undefined): BBox | undefined {
  if (!s) return undefined;
  const b = s.split(',').map(Number) as BBox;
  if (b.length !== 4 || b.some((n) => !Number.isFinite(n)) || b[0] > b[2] || b[1] > b[3])
    throw problems.badRequest('bbox must be west,south,east,north with west ≤ east and south ≤ north.');
  return b;
}

export const tracksRoutes =
  (tracks: TracksService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['tracks'];

    app.post(
      '/tracks/reports',
      {
        schema: {
          tags,
          summary:
            'Report positions (a JSON array or a GeoJSON FeatureCollection); 202 with per-report errors',
          body: ReportsBody,
        },
      },
      async (req, reply) => {
        const v = requirePermission(req, 'tracks:report');
        return reply.code(202).send(await tracks.report(v, req.body));
      },
    );

    app.get(
      '/tracks',
      {
        schema: {
          tags,
          summary: 'Current tracks, as a GeoJSON FeatureCollection',
          querystring: Type.Object({
            includeStale: Type.Optional(
              Type.Boolean({ description: 'Include tracks past their stale time.' }),
            ),
            bbox: Type.Optional(Type.String({ description: 'west,south,east,north' })),
          }),
        },
      },
      (req) =>
        tracks.list(requireViewer(req), {
          bbox: parseBbox(req.query.bbox),
          includeStale: req.query.includeStale ?? false,
        }),
    );

    app.get('/tracks/:uid', { schema: { tags, summary: 'One track', params: Uid } }, (req) =>
      tracks.get(requireViewer(req), req.params.uid),
    );

    app.get(
      '/tracks/:uid/history',
      {
        schema: {
          tags,
          summary: 'Observations of a track, oldest first (default: the last hour)',
          params: Uid,
          querystring: Type.Object({
            from: Time('Start (default: an hour before to).'),
            to: Time('End (default: now).'),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HISTORY })),
          }),
        },
      },
      (req) =>
        tracks.history(requireViewer(req), req.params.uid, {
          from: parseTime('from', req.query.from),
          to: parseTime('to', req.query.to),
          limit: req.query.limit,
        }),
    );

    // Replay: static, so it wins over /tracks/:uid (a track named "replay" keeps its other routes).
    app.get(
      '/tracks/replay',
      {
        schema: {
          tags,
          summary: 'Every visible position of every track in a window of up to 24 hours, for replay',
          querystring: Type.Object({
            from: Type.String({ format: 'date-time', description: 'Start, inclusive.' }),
            to: Type.String({ format: 'date-time', description: 'End, exclusive; at most 24 h after from.' }),
            bbox: Type.Optional(Type.String({ description: 'west,south,east,north: positions inside.' })),
            uids: Type.Optional(Type.String({ description: `Comma-separated, at most ${MAX_REPLAY_UIDS}.` })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REPLAY_POSITIONS })),
          }),
        },
      },
      (req) =>
        tracks.replay(requireViewer(req), {
          from: parseTime('from', req.query.from)!,
          to: parseTime('to', req.query.to)!,
          bbox: parseBbox(req.query.bbox),
          uids: parseUids(req.query.uids),
          limit: req.query.limit,
        }),
    );
  };

function parseUids(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  const uids = [...new Set(s.split(',').filter(Boolean))];
  const pattern = new RegExp(TRACK_UID_PATTERN);
  const bad = uids.find((u) => !pattern.test(u));
  if (bad !== undefined) throw problems.badRequest(`uids: ${JSON.stringify(bad)} is not a track uid.`);
  if (uids.length === 0 || uids.length > MAX_REPLAY_UIDS)
    throw problems.badRequest(`uids must name 1 to ${MAX_REPLAY_UIDS} tracks.`);
  return uids;
}
