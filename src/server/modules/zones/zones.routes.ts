import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MarkingSchema } from '../../../domain/marking.js';
import { ZONE_KINDS, ZoneInputSchema } from '../../../domain/zones.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import { problems } from '../../platform/errors.js';
import { BboxQuery, parseBbox, parseTime } from '../../platform/query.js';
import type { ZonesService } from './zones.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ListQuery = Type.Object({
  at: Type.Optional(
    Type.String({ format: 'date-time', description: 'The zones in force at this time (default now).' }),
  ),
  bbox: BboxQuery,
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Name contains (case-insensitive).' })),
  kind: Type.Optional(Type.String({ description: `Comma-separated kinds: ${ZONE_KINDS.join(', ')}` })),
});
const UpdateBody = Type.Object(
  {
    ...ZoneInputSchema.properties,
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version being replaced.' }),
  },
  { additionalProperties: false },
);

export const zonesRoutes =
  (zones: ZonesService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['zones'];

    app.get(
      '/zones',
      { schema: { tags, summary: 'Zones in force, as a GeoJSON FeatureCollection', querystring: ListQuery } },
      (req) => {
        const v = requireViewer(req);
        return zones.list(v, {
          at: parseTime('at', req.query.at),
          bbox: parseBbox(req.query.bbox),
          q: req.query.q,
          kinds: req.query.kind?.split(',').filter(Boolean),
        });
      },
    );

    app.get('/zones/counts', { schema: { tags, summary: 'Number of zones in force by kind' } }, (req) =>
      zones.counts(requireViewer(req)),
    );

    app.get(
      '/zones/export',
      { schema: { tags, summary: 'Download the zones in force as GeoJSON', querystring: ListQuery } },
      async (req, reply) => {
        const v = requireViewer(req);
        const fc = await zones.list(v, {
          at: parseTime('at', req.query.at),
          bbox: parseBbox(req.query.bbox),
        });
        return reply
          .header(
            'content-disposition',
            `attachment; filename="concord-zones-${new Date().toISOString().slice(0, 10)}.geojson"`,
          )
          .type('application/geo+json')
          .send(fc);
      },
    );

    app.post(
      '/zones/import',
      {
        schema: {
          tags,
          summary: 'Import a GeoJSON FeatureCollection of zones; invalid features are reported one by one',
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          body: Type.Object(
            {
              type: Type.Literal('FeatureCollection'),
              features: Type.Array(Type.Unknown()),
              marking: Type.Optional(MarkingSchema),
            },
            { additionalProperties: true },
          ),
        },
      },
      async (req, reply) => {
        const v = requirePermission(req, 'zones:write');
        const r = await zones.importCollection(v, req.body, { dryRun: req.query.dryRun ?? false });
        if (!r.dryRun && r.valid === 0) {
          throw problems.badRequest('No feature in the collection is valid; nothing was imported.', {
            errors: r.errors,
          });
        }
        return reply.code(r.dryRun ? 200 : 201).send({ ...r, created: r.created.map((f) => f.id) });
      },
    );

    app.get(
      '/zones/:id',
      {
        schema: {
          tags,
          summary: 'One zone (the version in force now, or at ?at=)',
          params: Id,
          querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }),
        },
      },
      (req) => zones.get(requireViewer(req), req.params.id, parseTime('at', req.query.at)),
    );

    app.get(
      '/zones/:id/versions',
      { schema: { tags, summary: 'Every version of a zone', params: Id } },
      (req) => zones.history(requireViewer(req), req.params.id),
    );

    app.post(
      '/zones',
      { schema: { tags, summary: 'Create a zone', body: ZoneInputSchema } },
      async (req, reply) => {
        const v = requirePermission(req, 'zones:write');
        return reply.code(201).send(await zones.create(v, req.body));
      },
    );

    app.put(
      '/zones/:id',
      {
        schema: {
          tags,
          summary: 'Add a version to a zone (send the current version; 409 if it moved on)',
          params: Id,
          body: UpdateBody,
        },
      },
      (req) => {
        const v = requirePermission(req, 'zones:write');
        const { version, ...input } = req.body;
        return zones.update(v, req.params.id, version, input);
      },
    );

    app.delete(
      '/zones/:id',
      {
        schema: {
          tags,
          summary: 'Retire a zone from now on (history is kept)',
          params: Id,
          querystring: Type.Object({
            version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
          }),
        },
      },
      async (req, reply) => {
        const v = requirePermission(req, 'zones:write');
        await zones.remove(v, req.params.id, req.query.version);
        return reply.code(204).send();
      },
    );
  };
