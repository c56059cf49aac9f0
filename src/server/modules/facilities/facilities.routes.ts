import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FACILITY_KINDS, FacilityInputSchema, type FacilityKind } from '../../../domain/facilities.js';
import { requireViewer } from '../../platform/auth.js';
import { BboxQuery, commaList, parseBbox } from '../../platform/query.js';
import { type FacilitiesService, MAX_LIST } from './facilities.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ListQuery = Type.Object({
  bbox: BboxQuery,
  kind: Type.Optional(
    Type.String({ maxLength: 200, description: `Comma-separated: ${FACILITY_KINDS.join(', ')}` }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: MAX_LIST })),
});
const PatchBody = Type.Object(
  {
    ...Type.Partial(FacilityInputSchema).properties,
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version you saw.' }),
  },
  { additionalProperties: false },
);

export const facilitiesRoutes =
  (facilities: FacilitiesService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['facilities'];

    app.get(
      '/facilities',
      {
        schema: {
          tags,
          summary: 'Facilities, as a GeoJSON FeatureCollection (filter by bbox and kind)',
          querystring: ListQuery,
        },
      },
      (req) =>
        facilities.list(requireViewer(req), {
          bbox: parseBbox(req.query.bbox),
          kinds: commaList<FacilityKind>('kind', req.query.kind, FACILITY_KINDS),
          limit: req.query.limit,
        }),
    );

    app.get('/facilities/:id', { schema: { tags, summary: 'One facility', params: Id } }, (req) =>
      facilities.get(requireViewer(req), req.params.id),
    );

    app.post(
      '/facilities',
      { schema: { tags, summary: 'Record a facility', body: FacilityInputSchema } },
      async (req, reply) => reply.code(201).send(await facilities.create(requireViewer(req), req.body)),
    );

    app.patch(
      '/facilities/:id',
      {
        schema: {
          tags,
          summary: 'Change a facility (status, location, marking…); 409 if the version moved on',
          params: Id,
          body: PatchBody,
        },
      },
      (req) => facilities.update(requireViewer(req), req.params.id, req.body),
    );
  };
