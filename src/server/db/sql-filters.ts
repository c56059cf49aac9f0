import { sql } from 'kysely';
import type { BBox } from '../../domain/geometry.js';

/**
 * `AND` the point's lon/lat inside the box, or nothing without one: the point tables (alerts,
 * facilities, incidents, track positions) keep plain lon and lat columns.
 */
export function withinBbox(alias: string, b: BBox | undefined) {
  if (!b) return sql``;
  const lon = sql.ref(`${alias}.lon`);
  const lat = sql.ref(`${alias}.lat`);
  return sql`AND ${lon} BETWEEN ${b[0]} AND ${b[2]} AND ${lat} BETWEEN ${b[1]} AND ${b[3]}`;
}
