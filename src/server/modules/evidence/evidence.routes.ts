import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CustodyInputSchema, EvidenceLinkInputSchema, SUGGESTION_LIMITS } from '../../../domain/evidence.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import { Problem, problems } from '../../platform/errors.js';
import type { EvidenceFiles, ReceivedFile } from './evidence.files.js';
import type { EvidenceService, FileMeta } from './evidence.service.js';
import type { suggestEvidence } from './evidence.suggest.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const FIELDS = ['description', 'marking', 'collectedBy', 'collectedAt'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_MAX_BYTES = 16 * 1024;

export interface EvidenceRouteDeps {
  service: EvidenceService;
  suggest: ReturnType<typeof suggestEvidence>;
  files: EvidenceFiles;
  maxBytes: number;
}

const tooLarge = (maxBytes: number) =>
  new Problem(
    413,
    'evidence-too-large',
    'Evidence file too large',
    `Evidence files are at most ${Math.floor(maxBytes / (1024 * 1024)) || `${maxBytes} bytes`}${maxBytes >= 1024 * 1024 ? ' MB' : ''}.`,
    { maxBytes },
  );

/**
 * Reads the multipart body: the one `file` part is streamed to the temporary area while hashed,
 * whatever the order of the parts; the other fields are kept as text.
 */
async function readUpload(req: FastifyRequest, files: EvidenceFiles, maxBytes: number) {
  const fields: Partial<Record<Field, string>> = {};
  let received: ReceivedFile | null = null;
  let meta: { filename: string; mimetype: string } | null = null;
  try {
    const parts = req.parts({
      limits: { fileSize: maxBytes, files: 1, fields: FIELDS.length, fieldSize: FIELD_MAX_BYTES, parts: 8 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw problems.badRequest(`Send the file in the field "file", not "${part.fieldname}".`);
        }
        received = await files.receive(part.file, maxBytes);
        meta = { filename: part.filename, mimetype: part.mimetype };
        if (received.truncated) throw tooLarge(maxBytes);
        continue;
      }
      const name = part.fieldname as Field;
      if (!FIELDS.includes(name))
        throw problems.badRequest(`Unknown field "${part.fieldname}"; send file, ${FIELDS.join(', ')}.`);
      if (part.valueTruncated) throw problems.badRequest(`${name} is too long.`, { field: name });
      fields[name] = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
    }
  } catch (e) {
    await files.discard(received);
    throw e;
  }
  if (!received || !meta) throw problems.badRequest('Send the file in the multipart field "file".');
  return { received, meta, fields };
}

export const evidenceRoutes =
  ({ service, suggest, files, maxBytes }: EvidenceRouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['evidence'];
    // The size cap is checked on the stream (a 413 problem), not thrown mid-read by the plugin.
    await app.register(multipart, { throwFileSizeLimit: false });

    app.post(
      '/incidents/:id/evidence',
      {
        schema: {
          tags,
          summary:
            'Attach a file (multipart/form-data: file, description?, marking? as JSON, collectedBy?, collectedAt?)',
          params: Id,
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const viewer = requirePermission(req, 'incidents:evidence');
        if (!req.isMultipart())
          throw new Problem(
            415,
            'unsupported-media-type',
            'Unsupported media type',
            'Send multipart/form-data with the file in the field "file".',
          );
        // Before the file is read: an unknown incident costs no upload.
        await service.incidentMarking(viewer, req.params.id);
        const { received, meta, fields } = await readUpload(req, files, maxBytes);
        try {
          const fileMeta: FileMeta = {
            filename: meta.filename,
            declaredType: meta.mimetype,
            description: fields.description,
            marking: fields.marking,
            collectedBy: fields.collectedBy,
            collectedAt: fields.collectedAt,
          };
          const item = await service.addFile(viewer, req.params.id, received, fileMeta);
          return reply.code(201).send(item);
        } finally {
          await files.discard(received);
        }
      },
    );

    app.get(
      '/incidents/:id/evidence',
      { schema: { tags, summary: "The incident's evidence released to you", params: Id } },
      (req) => service.list(requireViewer(req), req.params.id),
    );

    app.post(
      '/incidents/:id/evidence/links',
      {
        schema: {
          tags,
          summary: 'Link a track segment or an alert as evidence',
          params: Id,
          body: EvidenceLinkInputSchema,
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await service.link(requirePermission(req, 'incidents:evidence'), req.params.id, req.body)),
    );

    const { radiusM, windowMinutes } = SUGGESTION_LIMITS;
    app.get(
      '/incidents/:id/evidence/suggestions',
      {
        schema: {
          tags,
          summary: 'Tracks that could have observed the incident, ranked (evidence suggestion)',
          params: Id,
          querystring: Type.Object({
            radiusM: Type.Optional(Type.Number({ minimum: radiusM.min, maximum: radiusM.max })),
            windowMinutes: Type.Optional(
              Type.Integer({ minimum: windowMinutes.min, maximum: windowMinutes.max }),
            ),
          }),
        },
      },
      (req) => suggest(requireViewer(req), req.params.id, req.query.radiusM, req.query.windowMinutes),
    );

    app.get('/evidence/:id', { schema: { tags, summary: 'One evidence item', params: Id } }, (req) =>
      service.get(requireViewer(req), req.params.id),
    );

    app.get(
      '/evidence/:id/content',
      {
        // Streams are not compressed (media are already), and a HEAD would read the file and
        // record a download without sending it.
        compress: false,
        exposeHeadRoute: false,
        schema: {
          tags,
          summary: 'The file, after its SHA-256 is checked again (inline for previews of safe types)',
          params: Id,
          querystring: Type.Object({
            disposition: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('attachment')])),
          }),
        },
      },
      async (req, reply) => {
        const c = await service.content(
          requireViewer(req),
          req.params.id,
          req.query.disposition === 'inline',
        );
        return reply.headers(c.headers).send(c.stream);
      },
    );

    app.get(
      '/evidence/:id/custody',
      { schema: { tags, summary: 'The chain of custody, oldest first', params: Id } },
      (req) => service.custody(requireViewer(req), req.params.id),
    );

    app.post(
      '/evidence/:id/custody',
      {
        schema: {
          tags,
          summary: 'Record a transfer, an annotation or a verification (files are re-hashed)',
          params: Id,
          body: CustodyInputSchema,
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(
            await service.recordCustody(
              requirePermission(req, 'incidents:evidence'),
              req.params.id,
              req.body,
            ),
          ),
    );

    app.get(
      '/evidence/:id/segment',
      {
        schema: {
          tags,
          summary: "A track segment's positions released to you, as a GeoJSON LineString Feature with times",
          params: Id,
        },
      },
      (req) => service.segment(requireViewer(req), req.params.id),
    );
  };
