import { Type } from 'typebox';
import type { BBox } from '../../domain/geometry.js';
import { problems } from './errors.js';

/**
 * Query-string parsers shared by the modules' routes. The schemas only see text; these turn it into
 * values and answer 400 with a sentence a user can act on.
 */

/** A comma-separated list whose every entry is one of `allowed` (blanks and spaces around are dropped). */
export function commaList<T extends string>(
  name: string,
  s: string | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (!s) return undefined;
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => !allowed.includes(x as T));
  if (bad.length) throw problems.badRequest(`Unknown ${name} ${bad.join(', ')}; use ${allowed.join(', ')}.`);
  return list as T[];
}

/** `date-time` lets a leap second (…:60Z) through, which Date cannot represent: refuse it here, not in SQL. */
export function parseTime(name: string, s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw problems.badRequest(`${name} is not a time Concord can use: ${s}`);
  return d;
}

/** west,south,east,north in degrees, as the map asks for its view. */
export function parseBbox(s: string | undefined): BBox | undefined {
  if (!s) return undefined;
  const b = s.split(',').map(Number) as BBox;
  if (b.some((n) => !Number.isFinite(n)) || b[0] > b[2] || b[1] > b[3] || b[1] < -90 || b[3] > 90) {
    throw problems.badRequest('bbox must be west,south,east,north with west ≤ east and south ≤ north.');
  }
  return b;
}

/** The query-string form parseBbox reads; the pattern keeps letters out before parsing. */
export const BboxQuery = Type.Optional(
  Type.String({
    pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
    description: 'west,south,east,north',
  }),
);
