import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { IMPORT_KINDS, type RowError } from '../../../domain/aid-imports.js';
import { parseMarkingText } from '../../../domain/hxl.js';
import { csvSafe } from '../../../domain/incident-export.js';
import { formatMarking, type Marking, MarkingSchema, normaliseMarking } from '../../../domain/marking.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import { Problem, problems } from '../../platform/errors.js';
import { csvText } from '../reports/index.js';
import type { AidExports } from './imports.exports.js';
import type { ImportsService } from './imports.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'];

/** The import's default marking: JSON (`{"classification":…}`) or as written (`RESTRICTED//REL TO USA`). */
function defaultMarking(raw: string | undefined): Marking {
  if (!raw?.trim())
    throw problems.badRequest(
      'Give the default marking of the imported records: ?marking= or the x-concord-marking header, as JSON or as RESTRICTED//REL TO …',
      { field: 'marking' },
    );
  const text = raw.trim();
  if (!text.startsWith('{')) {
    const m = parseMarkingText(text);
    if (!m)
      throw problems.badRequest(`marking "${text.slice(0, 100)}" cannot be read.`, { field: 'marking' });
    return m;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw problems.badRequest('marking is not valid JSON.', { field: 'marking' });
  }
  if (!Value.Check(MarkingSchema, v))
    throw problems.badRequest(
      'marking must be {"classification": …, "releasableTo": […], "caveats"?: […]}.',
      {
        field: 'marking',
      },
    );
  return normaliseMarking(v);
}

function marked(reply: FastifyReply, marking: Marking): FastifyReply {
  return reply.header('x-concord-marking', formatMarking(marking)).header('cache-control', 'no-store');
}

const attachment = (name: string) => `attachment; filename="${name}"`;
const day = () => new Date().toISOString().slice(0, 10);

export function errorsCsv(errors: readonly RowError[]): string {
  return csvText([
    ['row', 'column', 'value', 'reason'],
    ...errors.map((e) => [e.row, csvSafe(e.column ?? ''), csvSafe(e.value ?? ''), csvSafe(e.reason)]),
  ]);
}

export const importsRoutes =
  (imports: ImportsService, exports: AidExports, maxBytes: number): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['aid'];
    // The file is streamed to disk by the service under its own cap, not buffered under the JSON limit.
    app.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));

    app.post(
      '/aid/imports',
      {
        bodyLimit: maxBytes,
        schema: {
          tags,
          summary:
            'Import a CSV with an HXL hashtag row (a consignment list or a 3W list); answers 202 with the job at once',
          description:
            'Body: the CSV (text/csv). Each row becomes a record or an error with its reason; progress at GET /aid/imports/{id}, errors at GET /aid/imports/{id}/errors.',
          consumes: ['text/csv'],
          querystring: Type.Object({
            kind: Type.Enum(IMPORT_KINDS),
            marking: Type.Optional(
              Type.String({ maxLength: 2000, description: 'Default marking, JSON or RESTRICTED//REL TO …' }),
            ),
            filename: Type.Optional(Type.String({ maxLength: 200 })),
          }),
        },
      },
      async (req, reply) => {
        const viewer = requirePermission(req, 'aid:notify');
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!CSV_TYPES.includes(type))
          throw new Problem(
            415,
            'unsupported-media-type',
            'Unsupported media type',
            'Send the CSV as text/csv.',
          );
        const length = Number(req.headers['content-length'] ?? 0);
        if (length > maxBytes)
          throw new Problem(
            413,
            'import-too-large',
            'Import file too large',
            `Import files are at most ${Math.round(maxBytes / 1048576)} MB.`,
          );
        const header = req.headers['x-concord-marking'];
        const marking = defaultMarking(req.query.marking ?? (Array.isArray(header) ? header[0] : header));
        const filename =
          req.query.filename ?? (req.headers['x-filename'] as string | undefined)?.slice(0, 200) ?? null;
        const body = req.body as NodeJS.ReadableStream | undefined;
        if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
          throw problems.badRequest('Send the CSV as the request body.');
        const job = await imports.start(viewer, {
          kind: req.query.kind,
          marking,
          filename,
          body: body as import('node:stream').Readable,
        });
        return reply
          .code(202)
          .header('location', `/api/v1/aid/imports/${job.id}`)
          .send({ jobId: job.id, ...job });
      },
    );

    app.get(
      '/aid/imports',
      {
        schema: {
          tags,
          summary: 'Recent imports you may see, newest first',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        },
      },
      (req) => imports.list(requireViewer(req), req.query.limit ?? 50),
    );

    app.get(
      '/aid/imports/:id',
      { schema: { tags, summary: "An import's progress: state, rows, errors, percent", params: Id } },
      (req) => imports.progress(requireViewer(req), req.params.id),
    );

    app.get(
      '/aid/imports/:id/errors',
      {
        schema: {
          tags,
          summary:
            "An import's refused rows with their reasons, in row order (JSON, or CSV with ?format=csv)",
          params: Id,
          querystring: Type.Object({
            format: Type.Optional(Type.Enum(['json', 'csv'])),
            offset: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          }),
        },
      },
      async (req, reply) => {
        const { job, errors } = await imports.errors(
          requireViewer(req),
          req.params.id,
          req.query.offset ?? 0,
          req.query.limit ?? 10_000,
        );
        marked(reply, job.marking);
        if (req.query.format === 'csv')
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', attachment(`concord-import-${job.id.slice(0, 8)}-errors.csv`))
            .send(errorsCsv(errors));
        return { jobId: job.id, state: job.state, errorCount: job.errorCount, errors };
      },
    );

    app.get(
      '/aid/consignments/export.csv',
      {
        schema: {
          tags,
          summary:
            'Consignments you may see as CSV with an HXL hashtag row (one row per item); the marking is in x-concord-marking',
        },
      },
      async (req, reply) => {
        const x = await exports.consignmentsCsv(requireViewer(req));
        return marked(reply, x.marking)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`concord-consignments-${day()}.csv`))
          .header('x-concord-truncated', String(x.truncated))
          .send(x.body);
      },
    );

    app.get(
      '/aid/consignments/export.geojson',
      {
        schema: {
          tags,
          summary:
            "Consignments you may see as GeoJSON at their crossing's position, with the aggregate marking",
        },
      },
      async (req, reply) => {
        const x = await exports.consignmentsGeoJson(requireViewer(req));
        return marked(reply, x.marking)
          .type('application/geo+json')
          .header('content-disposition', attachment(`concord-consignments-${day()}.geojson`))
          .send(x.body);
      },
    );

    app.get(
      '/aid/activities/export.geojson',
      {
        schema: {
          tags,
          summary: '3W activities you may see as GeoJSON (null geometry where no position was given)',
        },
      },
      async (req, reply) => {
        const x = await exports.activitiesGeoJson(requireViewer(req));
        return marked(reply, x.marking)
          .type('application/geo+json')
          .header('content-disposition', attachment(`concord-activities-${day()}.geojson`))
          .send(x.body);
      },
    );
  };
