import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CONSIGNMENT_STATES,
  ConsignmentInputSchema,
  type ConsignmentState,
  ConvoyInputSchema,
  ConvoyUpdateSchema,
} from '../../../domain/consignments.js';
import { requireViewer } from '../../platform/auth.js';
import { problems } from '../../platform/errors.js';
import { type ConsignmentsService, MAX_LIST } from './consignments.service.js';
import type { ConvoysService } from './convoys.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ description: `Comma-separated: ${CONSIGNMENT_STATES.join(', ')}` })),
  crossing: Type.Optional(Type.String({ format: 'uuid', description: 'Crossing id.' })),
  organisation: Type.Optional(
    Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,23}$', description: 'Requesting organisation code.' }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Registered at or after.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Registered at or before.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST })),
});
const MoveBody = Type.Object(
  {
    to: Type.Enum(CONSIGNMENT_STATES),
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version you saw.' }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

function parseStates(s: string | undefined): ConsignmentState[] | undefined {
  if (!s) return undefined;
  const list = s.split(',').filter(Boolean);
  const bad = list.filter((x) => !CONSIGNMENT_STATES.includes(x as ConsignmentState));
  if (bad.length)
    throw problems.badRequest(`Unknown state ${bad.join(', ')}; use ${CONSIGNMENT_STATES.join(', ')}.`);
  return list as ConsignmentState[];
}

const time = (s: string | undefined) => (s ? new Date(s) : undefined);

export const consignmentsRoutes =
  (consignments: ConsignmentsService, convoys: ConvoysService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['aid'];

    app.post(
      '/aid/consignments',
      {
        schema: {
          tags,
          summary: 'Register a consignment (requesting organisation defaults to yours)',
          body: ConsignmentInputSchema,
        },
      },
      async (req, reply) => reply.code(201).send(await consignments.register(requireViewer(req), req.body)),
    );

    app.get(
      '/aid/consignments',
      { schema: { tags, summary: 'Consignments, newest registration first', querystring: ListQuery } },
      (req) => {
        const q = req.query;
        const from = time(q.from);
        const to = time(q.to);
        if (from && to && from > to) throw problems.badRequest('from must not be after to.');
        return consignments.list(requireViewer(req), {
          states: parseStates(q.state),
          crossingId: q.crossing,
          organisationCode: q.organisation,
          from,
          to,
          limit: q.limit,
        });
      },
    );

    app.get(
      '/aid/consignments/:id',
      {
        schema: {
          tags,
          summary: 'One consignment with its items, history and the states you may move it to',
          params: Id,
        },
      },
      (req) => consignments.get(requireViewer(req), req.params.id),
    );

    app.post(
      '/aid/consignments/:id/state',
      {
        schema: {
          tags,
          summary: 'Move a consignment to its next state (reason required for partial, rejected, returned…)',
          params: Id,
          body: MoveBody,
        },
      },
      (req) => consignments.move(requireViewer(req), req.params.id, req.body),
    );

    app.post(
      '/aid/convoys',
      {
        schema: {
          tags,
          summary: 'Form a convoy: consignments under a notified movement, followed by a live track',
          body: ConvoyInputSchema,
        },
      },
      async (req, reply) => reply.code(201).send(await convoys.create(requireViewer(req), req.body)),
    );

    app.get(
      '/aid/convoys',
      {
        schema: {
          tags,
          summary: "Convoys as a GeoJSON FeatureCollection, each at its live track's position",
        },
      },
      (req) => convoys.list(requireViewer(req)),
    );

    app.patch(
      '/aid/convoys/:id',
      {
        schema: {
          tags,
          summary: 'Change a convoy: name, consignments (the whole new set), movement notification, track',
          params: Id,
          body: ConvoyUpdateSchema,
        },
      },
      (req) => convoys.update(requireViewer(req), req.params.id, req.body),
    );

    app.get(
      '/aid/convoys/:id',
      { schema: { tags, summary: 'One convoy as a GeoJSON Feature', params: Id } },
      (req) => convoys.get(requireViewer(req), req.params.id),
    );
  };
