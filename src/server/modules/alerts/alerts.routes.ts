import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ALERT_SEVERITIES, ALERT_STATUSES, type AlertStatus } from '../../../domain/alerts.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import { problems } from '../../platform/errors.js';
import { BboxQuery, parseBbox, parseTime } from '../../platform/query.js';
import { type AlertsService, DEFAULT_LIST, MAX_LIST } from './alerts.service.js';
import type { WebhooksService } from './webhooks.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version you saw.' });
const ListQuery = Type.Object({
  status: Type.Optional(
    Type.String({
      description: `Comma-separated: ${ALERT_STATUSES.join(', ')} (default open,acknowledged)`,
    }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or after.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or before.' })),
  bbox: BboxQuery,
  zoneId: Type.Optional(Type.String({ format: 'uuid' })),
  trackUid: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: DEFAULT_LIST })),
});

function parseStatuses(s: string | undefined): AlertStatus[] | undefined {
  if (!s) return undefined;
  const list = s.split(',').filter(Boolean);
  const bad = list.filter((x) => !ALERT_STATUSES.includes(x as AlertStatus));
  if (bad.length)
    throw problems.badRequest(`Unknown status ${bad.join(', ')}; use ${ALERT_STATUSES.join(', ')}.`);
  return list as AlertStatus[];
}

export const alertsRoutes =
  (alerts: AlertsService, webhooks: WebhooksService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['alerts'];

    app.get(
      '/alerts',
      {
        schema: {
          tags,
          summary: 'Alerts, newest first, as a GeoJSON FeatureCollection',
          querystring: ListQuery,
        },
      },
      (req) => {
        const q = req.query;
        return alerts.list(requireViewer(req), {
          statuses: parseStatuses(q.status),
          from: parseTime('from', q.from),
          to: parseTime('to', q.to),
          bbox: parseBbox(q.bbox),
          zoneId: q.zoneId,
          trackUid: q.trackUid,
          limit: q.limit,
        });
      },
    );

    app.get('/alerts/counts', { schema: { tags, summary: 'Number of alerts by status' } }, (req) =>
      alerts.counts(requireViewer(req)),
    );

    app.get('/alerts/webhooks', { schema: { tags, summary: 'Your alert webhooks' } }, (req) =>
      webhooks.list(requireViewer(req)),
    );

    app.post(
      '/alerts/webhooks',
      {
        schema: {
          tags,
          summary:
            'Register a webhook: alerts you may see are POSTed to it, signed (the secret is shown once)',
          body: Type.Object(
            {
              url: Type.String({ minLength: 1, maxLength: 2000 }),
              minSeverity: Type.Optional(Type.Enum(ALERT_SEVERITIES)),
              secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => reply.code(201).send(await webhooks.create(requireViewer(req), req.body)),
    );

    app.delete(
      '/alerts/webhooks/:id',
      { schema: { tags, summary: 'Remove a webhook and its queue', params: Id } },
      async (req, reply) => {
        await webhooks.remove(requireViewer(req), req.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/alerts/:id',
      { schema: { tags, summary: 'One alert with its timeline (actions)', params: Id } },
      (req) => alerts.get(requireViewer(req), req.params.id),
    );

    app.get(
      '/alerts/:id/assignees',
      { schema: { tags, summary: 'Users the alert may be assigned to', params: Id } },
      (req) => alerts.assignees(requirePermission(req, 'alerts:act'), req.params.id),
    );

    const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });

    app.post(
      '/alerts/:id/acknowledge',
      { schema: { tags, summary: 'Acknowledge an open alert', params: Id, body: VersionBody } },
      (req) => alerts.acknowledge(requirePermission(req, 'alerts:act'), req.params.id, req.body.version),
    );

    app.post(
      '/alerts/:id/assign',
      {
        schema: {
          tags,
          summary: 'Assign an alert to a user who may see it (null: nobody)',
          params: Id,
          body: Type.Object(
            {
              version: Version,
              assignee: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
            },
            { additionalProperties: false },
          ),
        },
      },
      (req) =>
        alerts.assign(
          requirePermission(req, 'alerts:act'),
          req.params.id,
          req.body.version,
          req.body.assignee,
        ),
    );

    app.post(
      '/alerts/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Resolve an alert, with an optional note',
          params: Id,
          body: Type.Object(
            { version: Version, note: Type.Optional(Type.String({ maxLength: 4000 })) },
            { additionalProperties: false },
          ),
        },
      },
      (req) =>
        alerts.resolve(requirePermission(req, 'alerts:act'), req.params.id, req.body.version, req.body.note),
    );

    app.post(
      '/alerts/:id/reopen',
      { schema: { tags, summary: 'Reopen a resolved alert', params: Id, body: VersionBody } },
      (req) => alerts.reopen(requirePermission(req, 'alerts:act'), req.params.id, req.body.version),
    );
  };
