import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GOVERNORATES } from '../../../domain/governorates.js';
import { INCIDENT_ACTIONS, INCIDENT_STATUSES } from '../../../domain/incident-workflow.js';
import {
  CasualtiesSchema,
  FINDINGS,
  INCIDENT_CATEGORIES,
  IncidentReportInputSchema,
  PARTY_PATTERN,
} from '../../../domain/incidents.js';
import { MarkingSchema } from '../../../domain/marking.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import { BboxQuery } from '../../platform/query.js';
import { incidentFilterOf } from './incidents.query.js';
import { DEFAULT_LIST, type IncidentsService, MAX_LIST } from './incidents.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The version you saw.' });
const Party = Type.String({ pattern: PARTY_PATTERN });

const FilterQuery = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or after.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Observed at or before.' })),
  governorate: Type.Optional(
    Type.String({ maxLength: 400, description: `Comma-separated: ${GOVERNORATES.join(', ')}` }),
  ),
  category: Type.Optional(
    Type.String({ maxLength: 400, description: `Comma-separated: ${INCIDENT_CATEGORIES.join(', ')}` }),
  ),
  status: Type.Optional(
    Type.String({ maxLength: 400, description: `Comma-separated: ${INCIDENT_STATUSES.join(', ')}` }),
  ),
  party: Type.Optional(Type.String({ pattern: PARTY_PATTERN, description: 'Alleging or accused party.' })),
  bbox: BboxQuery,
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'An incident number (INC-000123) or part of a title.' }),
  ),
};
const ListQuery = Type.Object({
  ...FilterQuery,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: DEFAULT_LIST })),
});
const CountsQuery = Type.Object(FilterQuery);

const ActionBody = Type.Object(
  {
    action: Type.Enum(INCIDENT_ACTIONS),
    version: Version,
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    finding: Type.Optional(Type.Enum(FINDINGS)),
    rationale: Type.Optional(Type.String({ maxLength: 20_000 })),
    duplicateOf: Type.Optional(Type.String({ format: 'uuid' })),
    response: Type.Optional(Type.String({ maxLength: 20_000 })),
    parties: Type.Optional(Type.Array(Party, { minItems: 1, maxItems: 10, uniqueItems: true })),
    party: Type.Optional(Party),
  },
  { additionalProperties: false },
);

export const incidentsRoutes =
  (incidents: IncidentsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['incidents'];

    app.post(
      '/incidents/reports',
      {
        schema: {
          tags,
          summary:
            'Submit a report: opens an incident, or adds to one with incidentId; returns merge candidates',
          body: IncidentReportInputSchema,
        },
      },
      async (req, reply) =>
        reply.code(201).send(await incidents.submit(requirePermission(req, 'incidents:report'), req.body)),
    );

    app.get(
      '/incidents',
      {
        schema: {
          tags,
          summary: 'Incidents, newest observed first, as a GeoJSON FeatureCollection',
          querystring: ListQuery,
        },
      },
      (req) => incidents.list(requireViewer(req), { ...incidentFilterOf(req.query), limit: req.query.limit }),
    );

    app.get(
      '/incidents/counts',
      {
        schema: {
          tags,
          summary: 'Number of incidents by status (same filters as the list)',
          querystring: CountsQuery,
        },
      },
      (req) => incidents.counts(requireViewer(req), incidentFilterOf(req.query)),
    );

    app.get(
      '/incidents/:id',
      {
        schema: {
          tags,
          summary: 'One incident: reports, assessment, responses, timeline, your actions',
          params: Id,
        },
      },
      (req) => incidents.get(requireViewer(req), req.params.id),
    );

    app.get(
      '/incidents/:id/candidates',
      { schema: { tags, summary: 'Open incidents near in space and time: candidates to merge', params: Id } },
      (req) => incidents.candidates(requireViewer(req), req.params.id),
    );

    app.patch(
      '/incidents/:id',
      {
        schema: {
          tags,
          summary: 'Edit title, category and sub-type, casualties or marking (triage)',
          params: Id,
          body: Type.Object(
            {
              version: Version,
              title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
              category: Type.Optional(Type.Enum(INCIDENT_CATEGORIES)),
              subtype: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
              casualties: Type.Optional(CasualtiesSchema),
              marking: Type.Optional(MarkingSchema),
            },
            { additionalProperties: false },
          ),
        },
      },
      (req) => incidents.edit(requirePermission(req, 'incidents:triage'), req.params.id, req.body),
    );

    app.put(
      '/incidents/:id/assessment',
      {
        schema: {
          tags,
          summary: 'Write the assessment (its analyst, under verification only)',
          params: Id,
          body: Type.Object(
            {
              version: Version,
              finding: Type.Enum(FINDINGS),
              rationale: Type.String({ minLength: 1, maxLength: 20_000 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      (req) => incidents.saveAssessment(requireViewer(req), req.params.id, req.body),
    );

    app.post(
      '/incidents/:id/actions',
      {
        schema: {
          tags,
          summary:
            'Take a workflow action: triage, start-verification, submit-for-review, approve, return, …',
          params: Id,
          body: ActionBody,
        },
      },
      (req) => incidents.act(requireViewer(req), req.params.id, req.body),
    );
  };
