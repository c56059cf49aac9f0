/**
 * Epoch milliseconds as `YYYY-MM-DDTHH:mm:ss.sssZ`, the same string as `Date#toISOString`, made
 * with integer arithmetic and recent seconds' prefixes kept: every inbound CoT event needs one or two, and the Date object and its
 * formatter cost more than the rest of mapping an event. Days to a civil date follows
 * H. Hinnant's `civil_from_days`.
 */

const MS_PER_DAY = 86_400_000;
/** 0001-01-01 to 9999-12-31: four-digit years, where the format above is the whole story. */
const MIN = -62_135_596_800_000;
const MAX = 253_402_300_799_999;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Events of one burst share their seconds: the formatted prefixes of the last two are kept (two,
 * because an event's observation and stale times alternate).
 */
let second0 = Number.NaN;
let prefix0 = '';
let second1 = Number.NaN;
let prefix1 = '';

export function isoUtc(ms: number): string {
  if (!Number.isInteger(ms) || ms < MIN || ms > MAX) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  let prefix: string;
  if (second === second0) prefix = prefix0;
  else if (second === second1) prefix = prefix1;
  else {
    prefix = secondPrefix(second * 1000);
    second1 = second0;
    prefix1 = prefix0;
    second0 = second;
    prefix0 = prefix;
  }
  return `${prefix}${three(ms - second * 1000)}Z`;
}

/** `YYYY-MM-DDTHH:mm:ss.` of a whole second. */
function secondPrefix(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const y = year < 1000 ? `000${year}`.slice(-4) : `${year}`;
  return `${y}-${two(month)}-${two(day)}T${two(h)}:${two(m)}:${two(s)}.`;
}

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Two digits at i, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * An ISO 8601 time with a zone (`2024-05-01T10:00:00.000Z`, `…+02:00`) as epoch milliseconds,
 * NaN when it is not one: exactly `Date.parse` on what matches the CoT time pattern.
 */
export function parseIsoTime(s: string): number {
  const t = simpleIsoTime(s);
  return Number.isNaN(t) && TIME_RE.test(s) ? Date.parse(s) : t;
}

/**
 * The common shape of an RFC 3339 time read by hand, NaN for anything else: four-digit year, day
 * 1–28, `T`, hour 0–23, seconds 0–59, an optional fraction, `Z` or `±hh:mm`. What it reads is a
 * valid RFC 3339 date-time and it gives what Date.parse gives; the rare rest (days 29–31, leap
 * seconds, lower case, odd lengths) is for the caller's slower, complete check.
 */
export function simpleIsoTime(s: string): number {
  const n = s.length;
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  const mo = digits2(s, 5);
  const d = digits2(s, 8);
  const h = digits2(s, 11);
  const mi = digits2(s, 14);
  const se = digits2(s, 17);
  const simple =
    n >= 20 &&
    y1 >= 0 &&
    y2 >= 0 &&
    s.charCodeAt(4) === 45 &&
    mo >= 1 &&
    mo <= 12 &&
    s.charCodeAt(7) === 45 &&
    d >= 1 &&
    d <= 28 &&
    s.charCodeAt(10) === 84 &&
    h >= 0 &&
    h <= 23 &&
    s.charCodeAt(13) === 58 &&
    mi >= 0 &&
    mi <= 59 &&
    s.charCodeAt(16) === 58 &&
    se >= 0 &&
    se <= 59;
  if (!simple) return Number.NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    let k = 0;
    for (i++; k < 9; i++, k++) {
      const c = s.charCodeAt(i) - 48;
      if (!(c >= 0 && c <= 9)) break;
      if (k < 3) ms = ms * 10 + c;
    }
    if (k === 0) return Number.NaN;
    for (; k < 3; k++) ms *= 10;
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === n) offset = 0;
  else if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = digits2(s, i + 1);
    const om = digits2(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else return Number.NaN;
  const days = daysFromCivil(y1 * 100 + y2, mo, d);
  return days * 86_400_000 + ((h * 60 + mi) * 60 + se) * 1000 + ms - offset;
}
