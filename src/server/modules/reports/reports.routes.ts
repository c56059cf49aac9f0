import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { MAX_REPORT_HOURS } from '../../../domain/daily-report.js';
import { GOVERNORATES } from '../../../domain/governorates.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../../domain/incident-export.js';
import { PARTY_PATTERN } from '../../../domain/incidents.js';
import { formatMarking, type Marking } from '../../../domain/marking.js';
import { requireViewer } from '../../platform/auth.js';
import { problems } from '../../platform/errors.js';
import { BboxQuery } from '../../platform/query.js';
import { type IncidentFilterText, incidentFilterOf } from '../incidents/index.js';
import { incidentsCsv, incidentsGeoJson } from './exports.js';
import { renderReportHtml } from './reports.html.js';
import { renderReportPdf } from './reports.pdf.js';
import type { ExportQuery, ReportsService } from './reports.service.js';

const DailyQuery = Type.Object({
  end: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'End of the period (exclusive), ISO 8601; default: the most recent daily cut-off.',
    }),
  ),
  hours: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_REPORT_HOURS, description: 'Length of the period; default 24.' }),
  ),
});

const ExportFilter = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or after.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or before.' })),
  governorate: Type.Optional(
    Type.String({ maxLength: 200, description: `Comma-separated: ${GOVERNORATES.join(', ')}` }),
  ),
  category: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated categories.' })),
  status: Type.Optional(
    Type.String({
      maxLength: 500,
      description: 'Comma-separated statuses; default every status but merged.',
    }),
  ),
  party: Type.Optional(Type.String({ pattern: PARTY_PATTERN, description: 'Accused or alleging.' })),
  bbox: BboxQuery,
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'An incident number (INC-000123) or part of a title.' }),
  ),
};

/** The incident list's filter, plus a window that must not run backwards. */
function exportQuery(q: IncidentFilterText): ExportQuery {
  const f = incidentFilterOf(q);
  if (f.from && f.to && f.from > f.to) throw problems.badRequest('from must not be after to.');
  return f;
}

function marked(reply: FastifyReply, marking: Marking): FastifyReply {
  return reply.header('x-concord-marking', formatMarking(marking)).header('cache-control', 'no-store');
}

const attachment = (name: string) => `attachment; filename="${name}"`;
const day = () => new Date().toISOString().slice(0, 10);

export const reportsRoutes =
  (reports: ReportsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['reports'];

    app.get(
      '/reports/daily',
      {
        schema: {
          tags,
          summary:
            'The daily report as JSON: counts with change, map, trend and assessed incidents you may see',
          querystring: DailyQuery,
        },
      },
      async (req, reply) => {
        const r = await reports.daily(requireViewer(req), req.query);
        return marked(reply, r.marking).send(r);
      },
    );

    app.get(
      '/reports/daily.html',
      {
        schema: {
          tags,
          summary: 'The daily report as one self-contained HTML page',
          querystring: DailyQuery,
        },
      },
      async (req, reply) => {
        const r = await reports.daily(requireViewer(req), req.query);
        return marked(reply, r.marking)
          .type('text/html; charset=utf-8')
          .header('content-disposition', `inline; filename="${r.number}.html"`)
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
          .send(renderReportHtml(r));
      },
    );

    app.get(
      '/reports/daily.pdf',
      { schema: { tags, summary: 'The daily report as an A4 PDF', querystring: DailyQuery } },
      async (req, reply) => {
        const r = await reports.daily(requireViewer(req), req.query);
        const pdf = await renderReportPdf(r);
        return marked(reply, r.marking)
          .type('application/pdf')
          .header('content-disposition', attachment(`${r.number}.pdf`))
          .send(pdf);
      },
    );

    app.get(
      '/incidents/export.csv',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Incidents you may see as CSV: ACLED-compatible columns, or HXL (hashtag row second). The marking is in the x-concord-marking header.',
          querystring: Type.Object({
            format: Type.Optional(Type.Enum(EXPORT_FORMATS, { default: 'acled' })),
            ...ExportFilter,
          }),
        },
      },
      async (req, reply) => {
        const format: ExportFormat = req.query.format ?? 'acled';
        const x = await reports.exportIncidents(requireViewer(req), exportQuery(req.query));
        return marked(reply, x.marking)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`concord-incidents-${format}-${day()}.csv`))
          .header('x-concord-truncated', String(x.truncated))
          .send(incidentsCsv(format, x.incidents));
      },
    );

    app.get(
      '/incidents/export.geojson',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Incidents you may see as a GeoJSON FeatureCollection with its aggregate marking',
          querystring: Type.Object(ExportFilter),
        },
      },
      async (req, reply) => {
        const x = await reports.exportIncidents(requireViewer(req), exportQuery(req.query));
        return marked(reply, x.marking)
          .type('application/geo+json')
          .header('content-disposition', attachment(`concord-incidents-${day()}.geojson`))
          .send(incidentsGeoJson(x.incidents, x.marking, x.truncated));
      },
    );
  };
