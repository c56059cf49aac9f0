import { GOVERNORATES } from './governorates.js';
import { type IncidentStatus, STATUS_LABELS } from './incident-workflow.js';
import {
  CATEGORY_LABELS,
  type Casualties,
  FINDING_LABELS,
  type Finding,
  type IncidentCategory,
  type LocationPrecision,
  type TimePrecision,
} from './incidents.js';
import { formatMarking, type Marking } from './marking.js';

/**
 * Incident exports for partner systems: ACLED-compatible CSV, CSV with an HXL hashtag row, and
 * GeoJSON. The rows are computed here from incidents the reader may see, with findings already
 * withheld where the reader may not read them.
 */

export const EXPORT_FORMATS = ['acled', 'hxl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const MAX_EXPORT = 50_000;

/** An incident as exports need it. `finding` and `rationale` are null when withheld. */
export interface ExportIncident {
  id: string;
  number: string;
  title: string;
  category: IncidentCategory;
  subtype: string;
  status: IncidentStatus;
  finding: Finding | null;
  rationale: string | null;
  observedAt: string;
  observedTo: string | null;
  timePrecision: TimePrecision;
  locationPrecision: LocationPrecision;
  lon: number;
  lat: number;
  governorate: string | null;
  place: string | null;
  allegingParty: string | null;
  accusedParty: string;
  casualties: Casualties;
  /** Kinds of the reports the reader may see: party, monitor, un, osint, sensor. */
  reporterKinds: string[];
  lineSide: string | null;
  updatedAt: string;
  marking: Marking;
}

type AcledEventType =
  | 'Battles'
  | 'Explosions/Remote violence'
  | 'Violence against civilians'
  | 'Strategic developments';

interface AcledType {
  eventType: AcledEventType;
  subEventType: string;
}

const STRATEGIC_OTHER: AcledType = { eventType: 'Strategic developments', subEventType: 'Other' };

/**
 * Our taxonomy in ACLED's event types (ACLED codebook: event_type / sub_event_type): the
 * category's default first, then the sub-types that differ from it.
 */
export const ACLED_TYPES: Record<
  IncidentCategory,
  { default: AcledType; subtypes?: Record<string, AcledType> }
> = {
  'fire-across-line': {
    default: { eventType: 'Battles', subEventType: 'Armed clash' },
    subtypes: {
      'tank-fire': {
        eventType: 'Explosions/Remote violence',
        subEventType: 'Shelling/artillery/missile attack',
      },
    },
  },
  'air-strike': { default: { eventType: 'Explosions/Remote violence', subEventType: 'Air/drone strike' } },
  'indirect-fire': {
    default: { eventType: 'Explosions/Remote violence', subEventType: 'Shelling/artillery/missile attack' },
  },
  incursion: { default: { eventType: 'Strategic developments', subEventType: 'Change to group/activity' } },
  demolition: {
    default: { eventType: 'Strategic developments', subEventType: 'Looting/property destruction' },
  },
  'weapons-in-restricted-zone': {
    default: { eventType: 'Strategic developments', subEventType: 'Change to group/activity' },
    subtypes: {
      fortification: {
        eventType: 'Strategic developments',
        subEventType: 'Headquarters or base established',
      },
    },
  },
  'attack-on-aid': {
    default: { eventType: 'Violence against civilians', subEventType: 'Attack' },
    subtypes: {
      facility: { eventType: 'Strategic developments', subEventType: 'Looting/property destruction' },
      'sensor-asset': { eventType: 'Strategic developments', subEventType: 'Looting/property destruction' },
    },
  },
  'obstruction-of-aid': {
    default: STRATEGIC_OTHER,
    subtypes: {
      looting: { eventType: 'Strategic developments', subEventType: 'Looting/property destruction' },
    },
  },
  detention: { default: { eventType: 'Strategic developments', subEventType: 'Arrests' } },
  other: { default: STRATEGIC_OTHER },
};

export function acledType(category: IncidentCategory, subtype: string): AcledType {
  const t = ACLED_TYPES[category];
  return t.subtypes?.[subtype] ?? t.default;
}

/** ACLED actors for the parties; inter codes: 1 state forces, 3 political militias, 7 civilians, 8 external/other. */
export const ACLED_ACTORS: Record<string, { actor: string; inter: number }> = {
  ISR: { actor: 'Military Forces of Israel', inter: 1 },
  PSE: { actor: 'Palestinian armed group', inter: 3 },
  UNKNOWN: { actor: 'Unidentified Armed Group (Palestine)', inter: 3 },
};

function actorOf(party: string | null): { actor: string; inter: number } | null {
  if (!party) return null;
  return ACLED_ACTORS[party] ?? { actor: `Forces of ${party}`, inter: 8 };
}

/** Where the demo's incidents are: ACLED's country, region and numeric ISO code. */
export const ACLED_COUNTRY = { country: 'Palestine', region: 'Middle East', iso: 275, admin1: 'Gaza Strip' };

/** ACLED time precision: 1 the day is known, 2 the week, 3 the month. */
export function acledTimePrecision(
  i: Pick<ExportIncident, 'timePrecision' | 'observedAt' | 'observedTo'>,
): 1 | 2 | 3 {
  const span = i.observedTo ? new Date(i.observedTo).getTime() - new Date(i.observedAt).getTime() : 0;
  const days = span / 86_400_000;
  if (days > 7) return 3;
  if (days > 1) return 2;
  return 1;
}

/** ACLED geo precision: 1 the spot, 2 near it, 3 the wider area only. */
export const ACLED_GEO_PRECISION: Record<LocationPrecision, 1 | 2 | 3> = { exact: 1, near: 2, area: 3 };

export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
] as const;
export type AcledColumn = (typeof ACLED_COLUMNS)[number];

const killed = (c: Casualties) => c.killedCivilians + c.killedUnknown;
const injured = (c: Casualties) => c.injuredCivilians + c.injuredUnknown;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** One ACLED row. Actor 1 is the accused party; actor 2 the civilians targeted or the alleging party. */
export function acledRow(i: ExportIncident): Record<AcledColumn, string | number> {
  const t = acledType(i.category, i.subtype);
  const civilians = t.eventType === 'Violence against civilians';
  const a1 = actorOf(i.accusedParty);
  const a2 = civilians ? { actor: 'Civilians (Palestine)', inter: 7 } : actorOf(i.allegingParty);
  const inters = [a1?.inter ?? 0, a2?.inter ?? 0].sort((x, y) => x - y);
  const interaction = a2 ? inters[0]! * 10 + inters[1]! : (a1?.inter ?? 0) * 10;
  const notes = [
    `${i.number}: ${i.title}.`,
    `Category: ${CATEGORY_LABELS[i.category]} (${i.subtype}).`,
    `Status: ${STATUS_LABELS[i.status]}.`,
    i.finding ? `Finding: ${FINDING_LABELS[i.finding]}.` : '',
    injured(i.casualties) ? `Injured: ${injured(i.casualties)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const observed = new Date(i.observedAt);
  return {
    event_id_cnty: i.number,
    event_date: i.observedAt.slice(0, 10),
    year: observed.getUTCFullYear(),
    time_precision: acledTimePrecision(i),
    disorder_type: t.eventType === 'Strategic developments' ? 'Strategic developments' : 'Political violence',
    event_type: t.eventType,
    sub_event_type: t.subEventType,
    actor1: a1?.actor ?? '',
    assoc_actor_1: '',
    inter1: a1?.inter ?? '',
    actor2: a2?.actor ?? '',
    assoc_actor_2: '',
    inter2: a2?.inter ?? '',
    interaction,
    civilian_targeting: civilians ? 'Civilian targeting' : '',
    iso: ACLED_COUNTRY.iso,
    region: ACLED_COUNTRY.region,
    country: ACLED_COUNTRY.country,
    admin1: ACLED_COUNTRY.admin1,
    admin2: i.governorate ?? '',
    admin3: '',
    location: i.place ?? i.governorate ?? '',
    latitude: round6(i.lat),
    longitude: round6(i.lon),
    geo_precision: ACLED_GEO_PRECISION[i.locationPrecision],
    source: ['CMCC', ...i.reporterKinds].join('; '),
    source_scale: 'Other',
    notes,
    fatalities: killed(i.casualties),
    tags: [i.status === 'merged' ? 'duplicate' : '', i.lineSide ? `line side: ${i.lineSide}` : '']
      .filter(Boolean)
      .join('; '),
    timestamp: Math.floor(new Date(i.updatedAt).getTime() / 1000),
  };
}

/** CSV with an HXL hashtag row: column header, hashtag, value. */
export const HXL_COLUMNS: readonly {
  header: string;
  hashtag: string;
  value: (i: ExportIncident) => string | number;
}[] = [
  { header: 'Incident', hashtag: '#event+id', value: (i) => i.number },
  { header: 'Title', hashtag: '#event+name', value: (i) => i.title },
  { header: 'Observed at', hashtag: '#date+occurred', value: (i) => i.observedAt },
  { header: 'Observed to', hashtag: '#date+occurred+end', value: (i) => i.observedTo ?? '' },
  { header: 'Time precision', hashtag: '#date+precision', value: (i) => i.timePrecision },
  { header: 'Country', hashtag: '#country+name', value: () => ACLED_COUNTRY.country },
  { header: 'Governorate', hashtag: '#adm1+name', value: (i) => i.governorate ?? '' },
  { header: 'Place', hashtag: '#loc+name', value: (i) => i.place ?? '' },
  { header: 'Latitude', hashtag: '#geo+lat', value: (i) => round6(i.lat) },
  { header: 'Longitude', hashtag: '#geo+lon', value: (i) => round6(i.lon) },
  { header: 'Location precision', hashtag: '#geo+precision', value: (i) => i.locationPrecision },
  { header: 'Line side', hashtag: '#geo+line_side', value: (i) => i.lineSide ?? '' },
  { header: 'Category', hashtag: '#event+type', value: (i) => i.category },
  { header: 'Sub-type', hashtag: '#event+subtype', value: (i) => i.subtype },
  { header: 'Status', hashtag: '#status', value: (i) => i.status },
  { header: 'Finding', hashtag: '#status+finding', value: (i) => i.finding ?? '' },
  { header: 'Killed', hashtag: '#affected+killed', value: (i) => killed(i.casualties) },
  { header: 'Injured', hashtag: '#affected+injured', value: (i) => injured(i.casualties) },
  { header: 'Accused party', hashtag: '#actor+accused', value: (i) => i.accusedParty },
  { header: 'Alleging party', hashtag: '#actor+alleging', value: (i) => i.allegingParty ?? '' },
  { header: 'Reporters', hashtag: '#meta+source', value: (i) => i.reporterKinds.join('; ') },
  { header: 'Updated at', hashtag: '#date+updated', value: (i) => i.updatedAt },
  { header: 'Marking', hashtag: '#meta+marking', value: (i) => formatMarking(i.marking) },
];

/**
 * A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or
 * carriage return, which some spreadsheets strip first) gets a leading single quote.
 */
export function csvSafe(v: string | number): string | number {
  if (typeof v !== 'string') return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** The GeoJSON Feature of an exported incident. */
export function exportFeature(i: ExportIncident) {
  return {
    type: 'Feature' as const,
    id: i.id,
    geometry: { type: 'Point' as const, coordinates: [round6(i.lon), round6(i.lat)] },
    properties: {
      number: i.number,
      title: i.title,
      category: i.category,
      subtype: i.subtype,
      status: i.status,
      finding: i.finding,
      rationale: i.rationale,
      observedAt: i.observedAt,
      observedTo: i.observedTo,
      timePrecision: i.timePrecision,
      locationPrecision: i.locationPrecision,
      governorate: i.governorate,
      place: i.place,
      lineSide: i.lineSide,
      allegingParty: i.allegingParty,
      accusedParty: i.accusedParty,
      casualties: i.casualties,
      reporterKinds: i.reporterKinds,
      updatedAt: i.updatedAt,
      marking: i.marking,
      markingText: formatMarking(i.marking),
    },
  };
}

/** Governorate names as the filter accepts them. */
export const EXPORT_GOVERNORATES: readonly string[] = GOVERNORATES;
