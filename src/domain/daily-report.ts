import type { IncidentStatus } from './incident-workflow.js';
import type { Finding, IncidentCategory } from './incidents.js';
import type { Marking } from './marking.js';

/**
 * The daily report: the numbered, marked summary of one period's incidents, computed from what its
 * reader may see. This file holds its model, the period rule and the pure helpers; the server
 * fills the model and renders it as JSON, HTML and PDF.
 */

export const DEFAULT_REPORT_TIMEZONE = 'Asia/Gaza';
export const DEFAULT_REPORT_CUTOFF = '19:30';
export const DEFAULT_REPORT_HOURS = 24;
export const MAX_REPORT_HOURS = 168;
/** The trend chart: incidents per day over this many days to the period end. */
export const TREND_DAYS = 14;
export const REPORT_NUMBER_PREFIX = 'CMCC-DR';

/** Statuses from which an incident has a finding the narrative reports. */
export const ASSESSED_STATUSES: readonly IncidentStatus[] = [
  'assessed',
  'parties-notified',
  'response-received',
  'closed',
];

export interface ReportSettings {
  /** IANA time zone the cut-off is read in. */
  timezone: string;
  /** `HH:MM`, local time: a period ends at the most recent one. */
  cutoff: string;
}

export interface ReportPeriod {
  /** Inclusive. */
  start: string;
  /** Exclusive. */
  end: string;
  hours: number;
  timezone: string;
  /** `CMCC-DR-2026-12-01`: the local date of the end, with the time and length when not the default. */
  number: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function parseCutoff(s: string): { hour: number; minute: number } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time at instant t in time zone tz. */
export function localParts(t: Date, tz: string): LocalParts {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
  };
}

/** Offset of tz from UTC at instant t, in milliseconds (east positive). */
function offsetMs(t: Date, tz: string): number {
  const p = localParts(t, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(t.getTime() / 60_000) * 60_000;
}

/**
 * The instant when the wall clock in tz shows the given local date and time. Twice through the
 * offset settles daylight-saving changes; a time skipped by a change lands just after it.
 */
export function zonedInstant(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let t = wall - offsetMs(new Date(wall), tz);
  t = wall - offsetMs(new Date(t), tz);
  return new Date(t);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026-12-01`: the local date at t in tz. */
export function localDate(t: Date, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `2026-12-01 19:30`: the local date and time at t in tz. */
export function localDateTime(t: Date, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The most recent cut-off at or before now. */
export function lastCutoff(now: Date, s: ReportSettings): Date {
  const c = parseCutoff(s.cutoff);
  if (!c) throw new Error(`The report cut-off must be HH:MM, got "${s.cutoff}"`);
  const p = localParts(now, s.timezone);
  let end = zonedInstant(s.timezone, p.year, p.month, p.day, c.hour, c.minute);
  if (end.getTime() > now.getTime()) {
    const y = new Date(Date.UTC(p.year, p.month - 1, p.day) - DAY_MS);
    end = zonedInstant(s.timezone, y.getUTCFullYear(), y.getUTCMonth() + 1, y.getUTCDate(), c.hour, c.minute);
  }
  return end;
}

/** The report number: stable for the same period, whoever asks. */
export function reportNumber(end: Date, hours: number, s: ReportSettings): string {
  const p = localParts(end, s.timezone);
  const c = parseCutoff(s.cutoff);
  let n = `${REPORT_NUMBER_PREFIX}-${p.year}-${pad(p.month)}-${pad(p.day)}`;
  if (!c || c.hour !== p.hour || c.minute !== p.minute) n += `-${pad(p.hour)}${pad(p.minute)}`;
  if (hours !== DEFAULT_REPORT_HOURS) n += `-${hours}H`;
  return n;
}

/**
 * The period a report covers: by default the 24 hours ending at the most recent cut-off; `end`
 * and `hours` override. Returns a reason instead when the request cannot be a period.
 */
export function reportPeriod(
  now: Date,
  s: ReportSettings,
  q: { end?: string; hours?: number } = {},
): ReportPeriod | { error: string } {
  const hours = q.hours ?? DEFAULT_REPORT_HOURS;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_REPORT_HOURS)
    return { error: `hours must be a whole number from 1 to ${MAX_REPORT_HOURS}.` };
  let end: Date;
  if (q.end !== undefined) {
    const m = /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.exec(q.end);
    if (!m)
      return { error: 'end must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T17:30:00Z.' };
    end = new Date(q.end);
    // Date rolls 2025-02-30 over into March: a day past the month's end is refused, not moved.
    const daysInMonth = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    if (
      Number.isNaN(end.getTime()) ||
      Number(m[3]) > daysInMonth ||
      end.getUTCFullYear() < 2000 ||
      end.getUTCFullYear() > 2100
    )
      return { error: `end is not a time Concord can use: ${q.end}` };
  } else {
    end = lastCutoff(now, s);
  }
  return {
    start: new Date(end.getTime() - hours * HOUR_MS).toISOString(),
    end: end.toISOString(),
    hours,
    timezone: s.timezone,
    number: reportNumber(end, hours, s),
  };
}

/** The period of the same length just before. */
export function previousPeriod(p: Pick<ReportPeriod, 'start' | 'hours'>): { start: string; end: string } {
  const end = new Date(p.start);
  return { start: new Date(end.getTime() - p.hours * HOUR_MS).toISOString(), end: end.toISOString() };
}

/** The trend chart's days: TREND_DAYS windows of 24 hours, the last ending at the period end. */
export function trendWindows(end: string, tz: string): { start: string; end: string; label: string }[] {
  const e = new Date(end).getTime();
  const out: { start: string; end: string; label: string }[] = [];
  for (let i = TREND_DAYS - 1; i >= 0; i--) {
    const to = e - i * DAY_MS;
    // Labelled by the local date of the window's last minute, so a 19:30 cut-off names its own day.
    out.push({
      start: new Date(to - DAY_MS).toISOString(),
      end: new Date(to).toISOString(),
      label: localDate(new Date(to - 60_000), tz).slice(5),
    });
  }
  return out;
}

/** One line of a count table: this period, the one before, and the change. */
export interface CountRow {
  key: string;
  label: string;
  current: number;
  previous: number;
  change: number;
}

/**
 * Count rows for every key seen in either period; `order` puts known keys first in its order,
 * the rest follow by count.
 */
export function countRows(
  current: readonly string[],
  previous: readonly string[],
  labelOf: (key: string) => string,
  order: readonly string[] = [],
): CountRow[] {
  const tally = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const c = tally(current);
  const p = tally(previous);
  const keys = [...new Set([...c.keys(), ...p.keys()])];
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  keys.sort((a, b) => rank(a) - rank(b) || (c.get(b) ?? 0) - (c.get(a) ?? 0) || a.localeCompare(b, 'en'));
  return keys.map((key) => {
    const cur = c.get(key) ?? 0;
    const prev = p.get(key) ?? 0;
    return { key, label: labelOf(key), current: cur, previous: prev, change: cur - prev };
  });
}

/** `+3`, `−2`, `0`. */
export function formatChange(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0';
}

/** An incident as the report lists and maps it. */
export interface ReportIncident {
  id: string;
  number: string;
  title: string;
  category: IncidentCategory;
  categoryLabel: string;
  subtype: string;
  status: IncidentStatus;
  statusLabel: string;
  observedAt: string;
  /** The place as the first visible report named it, else the governorate. */
  place: string | null;
  governorate: string | null;
  accusedParty: string;
  lon: number;
  lat: number;
  killed: number;
  injured: number;
}

/** A narrative entry: an assessed incident with its finding, or the finding withheld. */
export interface NarrativeEntry {
  number: string;
  title: string;
  observedAt: string;
  place: string | null;
  categoryLabel: string;
  statusLabel: string;
  /** null when withheld from this reader. */
  finding: Finding | null;
  findingLabel: string | null;
  rationale: string | null;
  withheld: boolean;
}

/** A map: projected already, so that the HTML (SVG) and the PDF draw the same picture. */
export interface ReportMap {
  /** Longitude/latitude extent drawn. */
  extent: { west: number; south: number; east: number; north: number };
  governorates: { name: string; rings: number[][][] }[];
  /** The outline the governorates are clipped to (the largest visible sector zone), if any. */
  outline: { name: string; rings: number[][][] } | null;
  /** The control line(s) in force at the period end. */
  lines: { name: string; version: number; parts: number[][][] }[];
  points: { number: string; status: IncidentStatus; lon: number; lat: number }[];
}

export interface DailyReport {
  number: string;
  title: string;
  period: ReportPeriod;
  previousPeriod: { start: string; end: string };
  generatedAt: string;
  generatedFor: { username: string; displayName: string; organisation: string };
  /** The aggregate of every incident and zone the report draws on. */
  marking: Marking;
  markingText: string;
  total: CountRow;
  killed: number;
  injured: number;
  byCategory: CountRow[];
  byGovernorate: CountRow[];
  byAccusedParty: CountRow[];
  byStatus: CountRow[];
  /** Attacks on monitors or their sensor assets. */
  againstMonitors: ReportIncident[];
  /** Restrictions on monitoring. */
  monitoringRestrictions: ReportIncident[];
  incidents: ReportIncident[];
  map: ReportMap;
  trend: { label: string; start: string; end: string; count: number }[];
  narrative: NarrativeEntry[];
}

/** Point colours by status, shared by the HTML and PDF maps and their legends. */
export const STATUS_COLOURS: Record<IncidentStatus, string> = {
  received: '#d62728',
  triaged: '#ff7f0e',
  'under-verification': '#e5b100',
  'peer-review': '#bcbd22',
  assessed: '#2ca02c',
  'parties-notified': '#17becf',
  'response-received': '#1f77b4',
  closed: '#7f7f7f',
  merged: '#c7c7c7',
};

/** Banner colours by classification (the usual scheme: green, amber, blue, red). */
export const CLASSIFICATION_COLOURS: Record<Marking['classification'], { fill: string; text: string }> = {
  UNCLASSIFIED: { fill: '#007a33', text: '#ffffff' },
  RESTRICTED: { fill: '#f1a500', text: '#000000' },
  CONFIDENTIAL: { fill: '#0033a0', text: '#ffffff' },
  SECRET: { fill: '#c8102e', text: '#ffffff' },
};
