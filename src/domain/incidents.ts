import { type Static, Type } from 'typebox';
import type { IncidentAction, IncidentStatus } from './incident-workflow.js';
import { type Marking, MarkingSchema } from './marking.js';

/**
 * Ceasefire monitoring: an incident gathers the reports (allegations, monitor and sensor
 * observations) of one event. Reports keep what their reporter said; the incident holds the
 * analyst's view of the event and its finding.
 */

export const INCIDENTS_LAYER = 'incidents';

/** Who reported it. */
export const REPORTER_KINDS = ['party', 'monitor', 'un', 'osint', 'sensor'] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];

/** The ceasefire taxonomy: category → its sub-types (the first is the most common). */
export const INCIDENT_TAXONOMY = {
  'fire-across-line': ['small-arms', 'sniper', 'heavy-machine-gun', 'tank-fire', 'other'],
  'air-strike': ['fixed-wing', 'drone', 'helicopter', 'other'],
  'indirect-fire': ['mortar', 'artillery', 'rocket', 'other'],
  incursion: ['ground-vehicle', 'personnel', 'vessel', 'aircraft', 'drone', 'other'],
  demolition: ['residential', 'infrastructure', 'agricultural', 'other'],
  'weapons-in-restricted-zone': ['heavy-weapons', 'fortification', 'armed-personnel', 'other'],
  'attack-on-aid': ['aid-workers', 'convoy', 'facility', 'monitors', 'sensor-asset', 'other'],
  'obstruction-of-aid': ['denied-access', 'delay', 'checkpoint', 'looting', 'monitoring-restricted', 'other'],
  detention: ['civilians', 'aid-workers', 'combatants', 'other'],
  other: ['other'],
} as const;
export type IncidentCategory = keyof typeof INCIDENT_TAXONOMY;
export const INCIDENT_CATEGORIES = Object.keys(INCIDENT_TAXONOMY) as IncidentCategory[];

export const CATEGORY_LABELS: Record<IncidentCategory, string> = {
  'fire-across-line': 'Fire across the line',
  'air-strike': 'Air strike',
  'indirect-fire': 'Indirect fire',
  incursion: 'Incursion or line crossing',
  demolition: 'Demolition',
  'weapons-in-restricted-zone': 'Weapons in a restricted zone',
  'attack-on-aid': 'Attack on aid or aid workers',
  'obstruction-of-aid': 'Obstruction of aid',
  detention: 'Detention',
  other: 'Other',
};

export function isSubtypeOf(category: IncidentCategory, subtype: string): boolean {
  return (INCIDENT_TAXONOMY[category] as readonly string[]).includes(subtype);
}

/**
 * How precisely the time is known: to the minute, the hour or the day. A window (observedTo)
 * can come with any of them.
 */
export const TIME_PRECISIONS = ['minute', 'hour', 'day'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

/** How precisely the place is known: the spot (≤ 100 m), near it (≤ 2 km), or the town or district only. */
export const LOCATION_PRECISIONS = ['exact', 'near', 'area'] as const;
export type LocationPrecision = (typeof LOCATION_PRECISIONS)[number];

/** A party to the ceasefire (ISO 3166 alpha-3), or UNKNOWN when the reporter cannot say. */
export const PARTY_PATTERN = '^([A-Z]{3}|UNKNOWN)$';
export const UNKNOWN_PARTY = 'UNKNOWN';

/** Admiralty grading: source reliability A (reliable) … F (cannot be judged). */
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
/** Admiralty grading: information credibility 1 (confirmed) … 6 (cannot be judged). */
export const INFORMATION_CREDIBILITY = [1, 2, 3, 4, 5, 6] as const;

const Iso = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0, maximum: 100_000 });

export const CasualtiesSchema = Type.Object(
  {
    killedCivilians: Count,
    killedUnknown: Count,
    injuredCivilians: Count,
    injuredUnknown: Count,
  },
  { additionalProperties: false },
);
export type Casualties = Static<typeof CasualtiesSchema>;
export const NO_CASUALTIES: Casualties = {
  killedCivilians: 0,
  killedUnknown: 0,
  injuredCivilians: 0,
  injuredUnknown: 0,
};

export const GradingSchema = Type.Object(
  {
    reliability: Type.Enum(SOURCE_RELIABILITY),
    // Spelled out: a mapped array loses the literal types (the static type would be never).
    credibility: Type.Union([
      Type.Literal(1),
      Type.Literal(2),
      Type.Literal(3),
      Type.Literal(4),
      Type.Literal(5),
      Type.Literal(6),
    ]),
  },
  { additionalProperties: false },
);
export type Grading = Static<typeof GradingSchema>;

/** What a reporter sends: one allegation or observation. */
export const IncidentReportInputSchema = Type.Object(
  {
    reporterKind: Type.Enum(REPORTER_KINDS),
    /** Free text: the person, unit, sensor or outlet, when it is not the submitting user. */
    reporterName: Type.Optional(Type.String({ maxLength: 200 })),
    allegingParty: Type.Optional(Type.String({ pattern: PARTY_PATTERN })),
    accusedParty: Type.String({ pattern: PARTY_PATTERN }),
    observedAt: Iso,
    /** End of the window when the time is a window. */
    observedTo: Type.Optional(Iso),
    timePrecision: Type.Enum(TIME_PRECISIONS),
    /** GeoJSON Point or Polygon, WGS84. */
    location: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
    locationPrecision: Type.Enum(LOCATION_PRECISIONS),
    /** Place name as the reporter gave it. */
    placeName: Type.Optional(Type.String({ maxLength: 200 })),
    category: Type.Enum(INCIDENT_CATEGORIES),
    subtype: Type.String({ minLength: 1, maxLength: 60 }),
    casualties: Type.Optional(CasualtiesSchema),
    narrative: Type.String({ minLength: 1, maxLength: 20_000 }),
    grading: Type.Optional(GradingSchema),
    marking: MarkingSchema,
    /** Attach to this incident instead of opening a new one. */
    incidentId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type IncidentReportInput = Static<typeof IncidentReportInputSchema>;

/** Side of the control line in force at the observed time. */
export interface LineSide {
  zoneId: string;
  zoneName: string;
  version: number;
  /** Left or right of the line walked in the order of its vertices. */
  side: 'left' | 'right';
  /** The zone's own name for that side (its `leftLabel` / `rightLabel` property), or a plain one. */
  label: string;
  distanceM: number;
}

/** The findings an assessment can reach. */
export const FINDINGS = [
  'confirmed',
  'partially-confirmed',
  'unsubstantiated',
  'cannot-determine',
  'refuted',
] as const;
export type Finding = (typeof FINDINGS)[number];

export const FINDING_LABELS: Record<Finding, string> = {
  confirmed: 'Confirmed',
  'partially-confirmed': 'Partially confirmed',
  unsubstantiated: 'Unsubstantiated',
  'cannot-determine': 'Cannot determine',
  refuted: 'Refuted',
};

/** An incident as lists, the map layer and the live hub give it: a Point Feature. */
export interface IncidentFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: IncidentSummary;
}

export interface IncidentSummary {
  id: string;
  /** `INC-000123`: stable, sequential, what people quote. */
  number: string;
  title: string;
  category: IncidentCategory;
  subtype: string;
  status: IncidentStatus;
  /** Withheld (null) from party liaisons until the parties are notified. */
  finding: Finding | null;
  observedAt: string;
  observedTo: string | null;
  timePrecision: TimePrecision;
  locationPrecision: LocationPrecision;
  /** The whole area when the location is one; the Feature's point is its representative point. */
  area: unknown | null;
  governorate: string | null;
  lineSide: LineSide | null;
  allegingParty: string | null;
  accusedParty: string;
  casualties: Casualties;
  reportCount: number;
  /** Usernames. */
  analyst: string | null;
  reviewer: string | null;
  /** Parties told of the finding, once notified. */
  notifiedParties: string[];
  notifiedAt: string | null;
  duplicateOf: string | null;
  /** The geofence alert that opened it, for automatic incidents. */
  sourceAlertId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  marking: Marking;
  markingText: string;
}

/** One report of an incident, as its reporter gave it. */
export interface IncidentReport {
  id: string;
  incidentId: string;
  reporterKind: ReporterKind;
  reporterName: string | null;
  /** The submitting user and organisation. */
  submittedBy: string;
  submittedByOrganisation: string;
  allegingParty: string | null;
  accusedParty: string;
  observedAt: string;
  observedTo: string | null;
  timePrecision: TimePrecision;
  location: unknown;
  locationPrecision: LocationPrecision;
  placeName: string | null;
  category: IncidentCategory;
  subtype: string;
  casualties: Casualties;
  narrative: string;
  grading: Grading | null;
  receivedAt: string;
  marking: Marking;
  markingText: string;
}

export interface IncidentAssessment {
  finding: Finding;
  rationale: string;
  assessedBy: string;
  assessedAt: string;
  /** Who approved it in peer review, once approved. */
  approvedBy: string | null;
  approvedAt: string | null;
}

/** One entry of an incident's timeline: every transition, timestamped and attributed. */
export interface IncidentTimelineEntry {
  action: IncidentAction | 'received' | 'report-added' | 'edited' | 'assessment-edited';
  from: IncidentStatus | null;
  to: IncidentStatus | null;
  at: string;
  actor: string | null;
  actorName: string | null;
  note: string | null;
  version: number;
}

/** An incident page: the summary, its reports, the assessment, the timeline and what the viewer may do. */
export interface IncidentDetail {
  feature: IncidentFeature;
  reports: IncidentReport[];
  /** null when there is none yet or the viewer may not see it yet. */
  assessment: IncidentAssessment | null;
  /** The parties' answers after notification. */
  responses: { party: string; text: string; at: string; by: string }[];
  timeline: IncidentTimelineEntry[];
  allowedActions: IncidentAction[];
  /** The number of the incident this one duplicates, when the viewer may see that one. */
  duplicateOfNumber: string | null;
}

/** An incident offered as the same event as another (clustering). */
export interface MergeCandidate {
  incidentId: string;
  number: string;
  title: string;
  category: IncidentCategory;
  status: IncidentStatus;
  distanceM: number;
  /** Gap between the two observation windows; 0 when they overlap. */
  gapMinutes: number;
}

/** How near in space and time a report must be to an incident to be offered as the same event. */
export const CLUSTER_RADIUS_M = 2_000;
export const CLUSTER_WINDOW_MS = 6 * 3_600_000;

export function incidentNumber(n: number): string {
  return `INC-${String(n).padStart(6, '0')}`;
}

/** Zones whose crossing or entry by ground forces the ceasefire forbids. */
export const FORBIDDEN_ZONE_KINDS = ['withdrawal-line', 'ceasefire-line', 'buffer-zone'] as const;
/** Track kinds that move on the ground: vehicles and convoys, or people (units and teams). */
const GROUND_VEHICLES = ['vehicle', 'convoy'];
const GROUND_PERSONNEL = ['unit', 'team'];

/**
 * The incursion sub-type a geofence alert opens an incident of, or null when the alert is not of a
 * kind the ceasefire forbids: a ground track crossing or entering a control line or buffer zone.
 * Friendly and neutral tracks (the coalition's patrols, aid convoys through a crossing) move there
 * by arrangement: their alerts stay alerts.
 */
export function automaticIncidentSubtype(alert: {
  trigger: string;
  zoneKind: string;
  trackKind: string;
  trackAffiliation: string;
}): 'ground-vehicle' | 'personnel' | null {
  if (alert.trigger !== 'cross' && alert.trigger !== 'enter') return null;
  if (!(FORBIDDEN_ZONE_KINDS as readonly string[]).includes(alert.zoneKind)) return null;
  if (alert.trackAffiliation === 'friend' || alert.trackAffiliation === 'neutral') return null;
  if (GROUND_VEHICLES.includes(alert.trackKind)) return 'ground-vehicle';
  if (GROUND_PERSONNEL.includes(alert.trackKind)) return 'personnel';
  return null;
}
