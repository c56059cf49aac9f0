import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  NOTIFICATION_ACTIONS,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATES,
  NotificationInputSchema,
  type NotificationKind,
  type NotificationState,
} from '../../../domain/deconfliction.js';
import { requireViewer } from '../../platform/auth.js';
import { commaList } from '../../platform/query.js';
import { DEFAULT_LIST, MAX_LIST, type NotificationsService } from './notifications.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Bool = Type.Enum(['true', 'false'] as const);
const ListQuery = Type.Object({
  state: Type.Optional(
    Type.String({ maxLength: 400, description: `Comma-separated: ${NOTIFICATION_STATES.join(', ')}` }),
  ),
  kind: Type.Optional(
    Type.String({ maxLength: 100, description: `Comma-separated: ${NOTIFICATION_KINDS.join(', ')}` }),
  ),
  overdue: Type.Optional(Bool),
  mine: Type.Optional(Type.Enum(['true', 'false'] as const, { description: "Only your organisation's." })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: DEFAULT_LIST })),
});
const ActionBody = Type.Object(
  {
    action: Type.Enum(NOTIFICATION_ACTIONS),
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version you saw.' }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    delayMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 })),
  },
  { additionalProperties: false },
);

const flag = (s: 'true' | 'false' | undefined) => (s === undefined ? undefined : s === 'true');

export const notificationsRoutes =
  (notifications: NotificationsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['notifications'];

    app.post(
      '/aid/notifications',
      {
        schema: {
          tags,
          summary: 'Draft a deconfliction notification of a static site or a movement',
          body: NotificationInputSchema,
        },
      },
      async (req, reply) => reply.code(201).send(await notifications.create(requireViewer(req), req.body)),
    );

    app.get(
      '/aid/notifications',
      {
        schema: {
          tags,
          summary: 'Notifications, newest first, with due time, overdue flag and your allowed actions',
          querystring: ListQuery,
        },
      },
      (req) => {
        const q = req.query;
        return notifications.list(requireViewer(req), {
          states: commaList<NotificationState>('state', q.state, NOTIFICATION_STATES),
          kinds: commaList<NotificationKind>('kind', q.kind, NOTIFICATION_KINDS),
          overdue: flag(q.overdue),
          mine: flag(q.mine),
          limit: q.limit,
        });
      },
    );

    app.get(
      '/aid/queue',
      {
        schema: {
          tags,
          summary: "A party liaison's queue: notifications awaiting your party's answer, soonest due first",
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: DEFAULT_LIST })),
          }),
        },
      },
      (req) => notifications.queue(requireViewer(req), req.query.limit),
    );

    app.get(
      '/aid/notifications/:id',
      {
        schema: {
          tags,
          summary: 'One notification with the history of every answer and the alerts correlated with it',
          params: Id,
        },
      },
      (req) => notifications.get(requireViewer(req), req.params.id),
    );

    app.post(
      '/aid/notifications/:id/actions',
      {
        schema: {
          tags,
          summary: 'Submit, transmit, answer (as a party liaison), depart, report an impediment, complete…',
          params: Id,
          body: ActionBody,
        },
      },
      (req) => notifications.act(requireViewer(req), req.params.id, req.body),
    );
  };
