import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { type Geometry, type GeometryProblem, validateGeometry } from './geometry.js';
import { simpleIsoTime } from './iso-time.js';
import { type Marking, MarkingSchema, normaliseMarking } from './marking.js';
import { lazyCheck } from './schema-check.js';
import {
  AFFILIATIONS,
  type Affiliation,
  SIDC_PATTERN,
  TRACK_KINDS,
  TRACK_UID_PATTERN,
  type TrackKind,
} from './tracks.js';

/** Position reports (observations): what reporters send about a track, and how each is checked. */

export const MAX_REPORTS_PER_REQUEST = 10_000;
/** A report that does not say when it goes stale is current for this long after it was observed. */
export const DEFAULT_STALE_MS = 5 * 60_000;
/**
 * Reports from further in the future than this are refused: a clock far ahead would pin the
 * current state, since later honest reports would all look older.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

const Iso = Type.String({ format: 'date-time' });

/** One observation of a track. The optional track attributes may come with any report. */
export const PositionReportSchema = Type.Object(
  {
    uid: Type.String({ pattern: TRACK_UID_PATTERN }),
    observedAt: Iso,
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    alt: Type.Optional(Type.Number({ description: 'metres above the WGS84 ellipsoid' })),
    course: Type.Optional(Type.Number({ minimum: 0, maximum: 360, description: 'degrees from true north' })),
    speed: Type.Optional(Type.Number({ minimum: 0, description: 'metres per second' })),
    accuracy: Type.Optional(Type.Number({ minimum: 0, description: 'horizontal, metres' })),
    staleAt: Type.Optional(Iso),
    footprint: Type.Optional(
      Type.Object(
        { type: Type.String(), coordinates: Type.Array(Type.Unknown()) },
        { description: 'GeoJSON Polygon, e.g. a sensor footprint' },
      ),
    ),
    kind: Type.Optional(Type.Enum(TRACK_KINDS)),
    affiliation: Type.Optional(Type.Enum(AFFILIATIONS)),
    sidc: Type.Optional(Type.String({ pattern: SIDC_PATTERN })),
    callsign: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    marking: Type.Optional(MarkingSchema),
    source: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type PositionReport = Static<typeof PositionReportSchema>;
const REPORT_KEYS = Object.keys(PositionReportSchema.properties);

/** A report that passed validation; times in epoch milliseconds, absent position fields null. */
export interface ValidReport {
  uid: string;
  observedAt: number;
  staleAt: number;
  lat: number;
  lon: number;
  alt: number | null;
  course: number | null;
  speed: number | null;
  accuracy: number | null;
  footprint: Geometry | null;
  kind?: TrackKind;
  affiliation?: Affiliation;
  sidc?: string;
  callsign?: string;
  marking?: Marking;
  source?: string;
}

export type ReportProblem = GeometryProblem;
export interface RejectedReport {
  index: number;
  uid?: string;
  problems: ReportProblem[];
}

/** Times PostgreSQL can store and a sensor can mean. */
export const EARLIEST = Date.UTC(1900, 0, 1);
export const LATEST = Date.UTC(10000, 0, 1);

/** Validates one report on its own; `now` is the receiver's clock. Null values count as absent. */
export function checkPositionReport(
  input: unknown,
  now: number,
): { ok: true; report: ValidReport } | { ok: false; problems: ReportProblem[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, problems: [{ path: '', message: 'must be a position report object' }] };
  // Copied without its nulls only when it has any: most reports have none, and the copy is most
  // of the garbage a batch makes.
  const r = hasNull(input as Record<string, unknown>)
    ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined))
    : (input as Record<string, unknown>);
  if (!validator(false)(r)) return { ok: false, problems: schemaProblems(r) };
  const p = r as PositionReport;
  // Times in the usual shape are read by hand; any other goes through the whole format check.
  let observedAt = simpleIsoTime(p.observedAt);
  let staleAt = p.staleAt === undefined ? observedAt + DEFAULT_STALE_MS : simpleIsoTime(p.staleAt);
  if (Number.isNaN(observedAt) || Number.isNaN(staleAt)) {
    if (!validator(true)(r)) return { ok: false, problems: schemaProblems(r) };
    // Belt and braces: a time the format check passed must also be one Date can hold.
    observedAt = Date.parse(p.observedAt);
    staleAt = p.staleAt === undefined ? observedAt + DEFAULT_STALE_MS : Date.parse(p.staleAt);
  }
  const problems: ReportProblem[] = [];
  if (Number.isNaN(observedAt) || observedAt < EARLIEST)
    problems.push({ path: 'observedAt', message: 'is not a usable time (1900 or later)' });
  else if (observedAt > now + MAX_CLOCK_AHEAD_MS)
    problems.push({ path: 'observedAt', message: 'is more than 5 minutes in the future' });
  if (Number.isNaN(staleAt) || staleAt >= LATEST)
    problems.push({ path: 'staleAt', message: 'is not a usable time (before 10000)' });
  else if (staleAt <= observedAt) problems.push({ path: 'staleAt', message: 'must be after observedAt' });
  let footprint: Geometry | null = null;
  if (p.footprint !== undefined) {
    const g = validateGeometry(p.footprint, ['Polygon']);
    if (g.ok) footprint = g.geometry;
    else for (const x of g.problems) problems.push({ ...x, path: x.path.replace(/^geometry/, 'footprint') });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    report: {
      uid: p.uid,
      observedAt,
      staleAt,
      lat: p.lat,
      lon: p.lon,
      alt: p.alt ?? null,
      course: p.course ?? null,
      speed: p.speed ?? null,
      accuracy: p.accuracy ?? null,
      footprint,
      ...(p.kind !== undefined && { kind: p.kind }),
      ...(p.affiliation !== undefined && { affiliation: p.affiliation }),
      ...(p.sidc !== undefined && { sidc: p.sidc.toUpperCase() }),
      ...(p.callsign !== undefined && { callsign: p.callsign }),
      ...(p.marking !== undefined && { marking: normaliseMarking(p.marking) }),
      ...(p.source !== undefined && { source: p.source }),
    },
  };
}

function hasNull(o: Record<string, unknown>): boolean {
  for (const k in o) if (o[k] === null || o[k] === undefined) return true;
  return false;
}

/**
 * The schema with its times as plain strings: the format check (TypeBox's regular expressions)
 * cost more than the rest of validating a report, and simpleIsoTime reads the usual shape anyway.
 */
const UncheckedTimesSchema = Type.Object(
  {
    ...PositionReportSchema.properties,
    observedAt: Type.String(),
    staleAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const checks = { strict: lazyCheck(PositionReportSchema), loose: lazyCheck(UncheckedTimesSchema) };
const validator = (withTimes: boolean) => (withTimes ? checks.strict : checks.loose);

/** TypeBox's errors as one problem per field, named by its path (`marking.releasableTo`). */
function schemaProblems(r: Record<string, unknown>): ReportProblem[] {
  const out: ReportProblem[] = [];
  for (const e of Value.Errors(PositionReportSchema, r)) {
    const at = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const join = (name: string) => (at ? `${at}.${name}` : name);
    const params = e.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    if (e.keyword === 'required' && params.requiredProperties)
      for (const name of params.requiredProperties) out.push({ path: join(name), message: 'is required' });
    else if (e.keyword === 'additionalProperties' && params.additionalProperties)
      for (const name of params.additionalProperties)
        out.push({ path: join(name), message: 'is not a known field' });
    else if (e.keyword !== 'boolean') out.push({ path: at, message: e.message }); // 'boolean' repeats the above
  }
  return out;
}

/** One report as found in a request body, not yet validated; `fromFeature` says where paths point. */
export interface ReportCandidate {
  index: number;
  uid?: string;
  input: unknown;
  fromFeature: boolean;
}

/**
 * Splits a request body, a JSON array of reports or a GeoJSON FeatureCollection of Point features
 * whose properties hold the other fields, into candidates. Feature-level problems become rejections.
 */
export function reportsFromBody(
  body: unknown,
): { ok: true; candidates: ReportCandidate[]; rejected: RejectedReport[] } | { ok: false; message: string } {
  const fc = body as { type?: unknown; features?: unknown } | null;
  const list = Array.isArray(body)
    ? body
    : fc && typeof fc === 'object' && fc.type === 'FeatureCollection' && Array.isArray(fc.features)
      ? fc.features
      : null;
  if (!list)
    return {
      ok: false,
      message: 'The body must be a JSON array of position reports or a GeoJSON FeatureCollection of points.',
    };
  if (list.length === 0 || list.length > MAX_REPORTS_PER_REQUEST)
    return {
      ok: false,
      message: `Send 1 to ${MAX_REPORTS_PER_REQUEST} position reports per request; this has ${list.length}.`,
    };
  const candidates: ReportCandidate[] = [];
  const rejected: RejectedReport[] = [];
  list.forEach((item: unknown, index) => {
    if (!Array.isArray(body)) {
      const f = featureToReport(item);
      if ('problems' in f) rejected.push({ index, ...(f.uid && { uid: f.uid }), problems: f.problems });
      else candidates.push({ index, uid: f.uid, input: f.input, fromFeature: true });
      return;
    }
    const uid = (item as { uid?: unknown } | null)?.uid;
    candidates.push({ index, input: item, fromFeature: false, ...(typeof uid === 'string' && { uid }) });
  });
  return { ok: true, candidates, rejected };
}

function featureToReport(
  item: unknown,
): { uid?: string; input: Record<string, unknown> } | { uid?: string; problems: ReportProblem[] } {
  const f = item as { type?: unknown; id?: unknown; geometry?: unknown; properties?: unknown } | null;
  if (!f || typeof f !== 'object' || f.type !== 'Feature')
    return { problems: [{ path: 'feature', message: 'is not a GeoJSON Feature' }] };
  const props =
    f.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
  const uidValue = props.uid ?? f.id;
  const uid = typeof uidValue === 'string' ? uidValue : undefined;
  const g = f.geometry as { type?: unknown; coordinates?: unknown } | null;
  const c = g?.coordinates;
  if (
    g?.type !== 'Point' ||
    !Array.isArray(c) ||
    c.length < 2 ||
    c.length > 3 ||
    !c.every((n) => typeof n === 'number' && Number.isFinite(n))
  )
    return {
      uid,
      problems: [{ path: 'geometry', message: 'must be a Point with [lon, lat] or [lon, lat, alt]' }],
    };
  // GeoJSON properties are free-form: take the report's fields, leave the rest (our own
  // `organisation`, `markingText`, a partner's extras) so that an export can be posted back.
  const input: Record<string, unknown> = Object.fromEntries(
    Object.entries(props).filter(([k]) => REPORT_KEYS.includes(k) && k !== 'lat' && k !== 'lon'),
  );
  input.uid = uidValue;
  input.lon = c[0];
  input.lat = c[1];
  if (input.alt === undefined || input.alt === null) input.alt = c[2];
  return { uid, input };
}

/** Where a problem of a report that came as a Feature points: at the geometry or at a property. */
export function featurePath(path: string): string {
  if (path === 'lat' || path === 'lon') return 'geometry.coordinates';
  return path ? `properties.${path}` : 'properties';
}
