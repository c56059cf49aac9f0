import type { IncidentStatus } from '../../../domain/incident-workflow';
import type {
  Finding,
  IncidentCategory,
  LocationPrecision,
  ReporterKind,
  TimePrecision,
} from '../../../domain/incidents';
import { type MessageKey, t } from '../../i18n/t';

/** A key built from a code: falls back to the code itself when the catalogue lacks it. */
function lookup(prefix: string, code: string): string {
  const key = `${prefix}.${code}` as MessageKey;
  const text = t(key);
  return text === undefined ? code : text;
}

export const statusLabel = (s: IncidentStatus) => lookup('incidents.status', s);
export const findingLabel = (f: Finding) => lookup('incidents.finding', f);
export const categoryLabel = (c: IncidentCategory) => lookup('incidents.category', c);
export const subtypeLabel = (s: string) => lookup('incidents.subtype', s);
export const reporterLabel = (k: ReporterKind) => lookup('incidents.reporter', k);
export const timePrecisionLabel = (p: TimePrecision) => lookup('incidents.timePrecision', p);
export const locationPrecisionLabel = (p: LocationPrecision) => lookup('incidents.locationPrecision', p);
export const partyLabel = (p: string | null) =>
  p === null
    ? t('incidents.noParty')
    : ['ISR', 'PSE', 'UNKNOWN'].includes(p)
      ? lookup('incidents.party', p)
      : p;

/** The parties of the ceasefire the forms offer. */
export const PARTIES = ['ISR', 'PSE', 'UNKNOWN'] as const;

export function distanceText(m: number): string {
  return m < 1000
    ? t('incidents.distanceM', { m: Math.round(m) })
    : t('incidents.distanceKm', { km: (m / 1000).toFixed(1) });
}

/** The colour of each status on the list, the page and the map; white text is readable on all. */
export const STATUS_COLOURS: Record<IncidentStatus, string> = {
  received: '#6741d9',
  triaged: '#1864ab',
  'under-verification': '#a14a00',
  'peer-review': '#9c2fae',
  assessed: '#0b6e7d',
  'parties-notified': '#2b7a3b',
  'response-received': '#3d6b0c',
  closed: '#495057',
  merged: '#6c757d',
};
