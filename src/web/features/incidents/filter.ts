import { INCIDENT_STATUSES, type IncidentStatus } from '../../../domain/incident-workflow';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../../domain/incidents';

/** The list's filters, as the URL of the incidents page keeps them (so a filtered list is a link). */
export interface IncidentFilter {
  /** `datetime-local` values, read as UTC. */
  from: string;
  to: string;
  governorate: string;
  category: IncidentCategory | '';
  statuses: IncidentStatus[];
  party: string;
  q: string;
}

export const EMPTY_FILTER: IncidentFilter = {
  from: '',
  to: '',
  governorate: '',
  category: '',
  statuses: [],
  party: '',
  q: '',
};

/** `2026-12-01T10:00` (shown as UTC) → ISO; empty or invalid → null. */
export function localToIso(v: string): string | null {
  if (!v) return null;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** ISO → the `datetime-local` value in UTC. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

export function filterFromQuery(q: URLSearchParams): IncidentFilter {
  const category = q.get('category') ?? '';
  return {
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    governorate: q.get('governorate') ?? '',
    category: (INCIDENT_CATEGORIES as string[]).includes(category) ? (category as IncidentCategory) : '',
    statuses: (q.get('status') ?? '')
      .split(',')
      .filter((s): s is IncidentStatus => (INCIDENT_STATUSES as readonly string[]).includes(s)),
    party: q.get('party') ?? '',
    q: q.get('q') ?? '',
  };
}

/** The filter as the page URL keeps it: the form's own values. */
export function filterToPageQuery(f: IncidentFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.governorate) q.set('governorate', f.governorate);
  if (f.category) q.set('category', f.category);
  if (f.statuses.length) q.set('status', f.statuses.join(','));
  if (f.party) q.set('party', f.party);
  if (f.q) q.set('q', f.q);
  return q;
}

/** The filter as the API reads it: times in ISO UTC. */
export function filterQuery(f: IncidentFilter): URLSearchParams {
  const q = new URLSearchParams();
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (f.governorate) q.set('governorate', f.governorate);
  if (f.category) q.set('category', f.category);
  if (f.statuses.length) q.set('status', f.statuses.join(','));
  if (f.party) q.set('party', f.party);
  if (f.q.trim()) q.set('q', f.q.trim());
  return q;
}
