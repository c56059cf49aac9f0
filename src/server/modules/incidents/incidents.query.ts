import { GOVERNORATES } from '../../../domain/governorates.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../domain/incident-workflow.js';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../../domain/incidents.js';
import { commaList, parseBbox, parseTime } from '../../platform/query.js';
import type { IncidentListFilter } from './incidents.service.js';

/** The incident filter as the query string carries it: the list, the counts and the exports read it alike. */
export interface IncidentFilterText {
  from?: string;
  to?: string;
  governorate?: string;
  category?: string;
  status?: string;
  party?: string;
  bbox?: string;
  q?: string;
}

/** Checks every value against its list so an unknown one is a 400, not an empty result. */
export function incidentFilterOf(q: IncidentFilterText): Omit<IncidentListFilter, 'limit'> {
  return {
    from: parseTime('from', q.from),
    to: parseTime('to', q.to),
    governorates: commaList('governorate', q.governorate, GOVERNORATES),
    categories: commaList<IncidentCategory>('category', q.category, INCIDENT_CATEGORIES),
    statuses: commaList<IncidentStatus>('status', q.status, INCIDENT_STATUSES),
    party: q.party,
    bbox: parseBbox(q.bbox),
    q: q.q?.trim() || undefined,
  };
}
