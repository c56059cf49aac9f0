import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireViewer } from '../../platform/auth.js';
import { type DashboardService, MAX_DAYS } from './dashboard.service.js';

export const dashboardRoutes =
  (dashboard: DashboardService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/aid/dashboard',
      {
        schema: {
          tags: ['aid'],
          summary:
            'Aid dashboard: trucks per day per crossing against target, tonnes by category, pipeline funnel, overdue answers',
          querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS })) }),
        },
      },
      (req) => dashboard.get(requireViewer(req), { days: req.query.days }),
    );
  };
