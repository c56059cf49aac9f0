import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CrossingStatusInputSchema } from '../../../domain/crossings.js';
import { requireViewer } from '../../platform/auth.js';
import { CountsInputSchema, type CountsService, DaySchema } from './counts.service.js';
import type { CrossingsService } from './crossings.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const crossingsRoutes =
  (crossings: CrossingsService, counts: CountsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['aid'];

    app.get(
      '/aid/crossings',
      {
        schema: {
          tags,
          summary:
            "Crossings board: status, planned hours, today's and the last 7 days' throughput against target",
        },
      },
      (req) => crossings.board(requireViewer(req)),
    );

    app.get(
      '/aid/crossings/:id',
      { schema: { tags, summary: 'One crossing with its status history', params: Id } },
      (req) => crossings.get(requireViewer(req), req.params.id),
    );

    app.post(
      '/aid/crossings/:id/status',
      {
        schema: {
          tags,
          summary:
            'Open, restrict or close a crossing (reason required unless open); owners of affected consignments are told',
          params: Id,
          body: CrossingStatusInputSchema,
        },
      },
      (req) => crossings.setStatus(requireViewer(req), req.params.id, req.body),
    );

    app.put(
      '/aid/crossings/:id/counts',
      {
        schema: {
          tags,
          summary: "Enter one day's figures at a crossing (one per source, rule, scope and unit)",
          params: Id,
          body: CountsInputSchema,
        },
      },
      (req) => counts.put(requireViewer(req), req.params.id, req.body),
    );

    app.get(
      '/aid/reconciliation',
      {
        schema: {
          tags,
          summary: 'Count reconciliation per day and crossing: figures, verdict and compared pairs',
          querystring: Type.Object({
            from: Type.Optional(DaySchema),
            to: Type.Optional(DaySchema),
            crossing: Type.Optional(Type.String({ format: 'uuid' })),
          }),
        },
      },
      (req) =>
        counts.reconciliation(requireViewer(req), {
          from: req.query.from,
          to: req.query.to,
          crossingId: req.query.crossing,
        }),
    );

    app.get(
      '/aid/notices',
      {
        schema: {
          tags,
          summary: 'Notices to your organisation: closures and restrictions affecting its consignments',
          querystring: Type.Object({
            since: Type.Optional(Type.String({ format: 'date-time' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          }),
        },
      },
      (req) =>
        crossings.notices(requireViewer(req), {
          since: req.query.since ? new Date(req.query.since) : undefined,
          limit: req.query.limit,
        }),
    );
  };
