import type { Geometry } from '../../../domain/geometry.js';
import type { TrackFeature } from '../../../domain/tracks.js';
import type { ZoneFeature, ZoneKind } from '../../../domain/zones.js';
import { PONG, SPOT_MARKER } from './cot-to-report.js';
import { attr, cotEvent, text } from './cot-xml.js';
import { sidcToType } from './sidc.js';

/**
 * Concord -> CoT. Every event carries the record's marking at the head of its remarks
 * (`RESTRICTED//REL TO USA, GBR`), so that a field user sees the classification of what the
 * device shows. Tracks keep their uid (so a TAK client's own track comes back under its own uid,
 * which ATAK ignores); zones and alerts get `concord.zone.<id>` / `concord.alert.<id>` uids.
 */

const YEAR_MS = 365 * 86_400_000;
/** What Date#toISOString writes for the years 0000–9999. */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Opaque ARGB as the signed 32-bit integer TAK expects. */
const argb = (rgb: number) => 0xff000000 | rgb | 0;

const ZONE_COLOUR: Record<ZoneKind, number> = {
  'ceasefire-line': 0xd32f2f,
  'withdrawal-line': 0xf57c00,
  'buffer-zone': 0xfbc02d,
  'humanitarian-zone': 0x388e3c,
  crossing: 0x1976d2,
  'facility-area': 0x0097a7,
  sector: 0x757575,
  'named-area-of-interest': 0x8e24aa,
  'restricted-area': 0xb71c1c,
};

const SEVERITY_COLOUR: Record<string, number> = { info: 0x1976d2, warning: 0xf57c00, critical: 0xd32f2f };

export const zoneUid = (id: string, part = 0) => (part ? `concord.zone.${id}.${part}` : `concord.zone.${id}`);
export const alertUid = (id: string) => `concord.alert.${id}`;

export function trackToCot(f: TrackFeature, now: number): string {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const track =
    p.course !== null || p.speed !== null
      ? `<track${attr('course', p.course ?? 0)}${attr('speed', p.speed ?? 0)}/>`
      : '';
  const remarks = `${p.markingText} — ${p.kind}, ${p.affiliation}, ${p.organisation}`;
  return cotEvent(
    {
      uid: p.uid,
      type: sidcToType(p.sidc),
      how: 'm-g',
      // The feature's own ISO strings, which are CoT's time format: no parsing and printing again.
      time: ISO_MS.test(p.observedAt) ? p.observedAt : Date.parse(p.observedAt) || now,
      stale: ISO_MS.test(p.staleAt) ? p.staleAt : Date.parse(p.staleAt) || now + 60_000,
      lat,
      lon,
      hae: p.alt,
      ce: p.accuracy,
    },
    `<contact${attr('callsign', p.callsign)}/>${track}<__milsym${attr('id', p.sidc)}/>` +
      `<remarks>${text(remarks)}</remarks>`,
  );
}

/** Lines and polygon rings, each as [lon, lat] vertices; a point zone has none. */
function parts(g: Geometry): { vertices: number[][]; closed: boolean }[] {
  switch (g.type) {
    case 'LineString':
      return [{ vertices: g.coordinates, closed: false }];
    case 'MultiLineString':
      return g.coordinates.map((c) => ({ vertices: c, closed: false }));
    case 'Polygon':
      return g.coordinates[0] ? [{ vertices: g.coordinates[0], closed: true }] : [];
    case 'MultiPolygon':
      return g.coordinates.flatMap((p) => (p[0] ? [{ vertices: p[0], closed: true }] : []));
    default:
      return [];
  }
}

/** The CoT uids a zone's geometry becomes, so that its deletion can name each of them. */
export function zoneUids(f: ZoneFeature): string[] {
  const n = Math.max(1, parts(f.geometry as Geometry).length);
  return Array.from({ length: n }, (_, i) => zoneUid(f.id, i));
}

/**
 * A zone as `u-d-f` drawings (one per line or outer ring; ring vertices repeat the first, which
 * is how TAK closes a shape), or a spot marker for a point zone (a crossing, a facility).
 */
export function zoneToCot(f: ZoneFeature, now: number): string[] {
  const p = f.properties;
  const g = f.geometry as Geometry;
  const stale = p.validTo ? Date.parse(p.validTo) : now + YEAR_MS;
  const colour = argb(ZONE_COLOUR[p.kind] ?? 0x757575);
  const remarks = `<remarks>${text(`${p.markingText} — ${p.kind}${p.description ? `: ${p.description}` : ''}`)}</remarks>`;
  const contact = `<contact${attr('callsign', p.name)}/>`;
  if (g.type === 'Point') {
    const [lon, lat] = g.coordinates as number[];
    return [
      cotEvent(
        { uid: zoneUid(f.id), type: SPOT_MARKER, how: 'h-g-i-g-o', time: now, stale, lat: lat!, lon: lon! },
        `${contact}<color${attr('argb', colour)}/>${remarks}`,
      ),
    ];
  }
  return parts(g).map((part, i) => {
    const vs = part.vertices;
    const links = vs.map(([lon, lat]) => `<link${attr('point', `${lat},${lon}`)}/>`).join('');
    const lats = vs.map((v) => v[1]!);
    const lons = vs.map((v) => v[0]!);
    const fill = part.closed ? `<fillColor${attr('value', (colour & 0x00ffffff) | 0x40000000)}/>` : '';
    return cotEvent(
      {
        uid: zoneUid(f.id, i),
        type: 'u-d-f',
        how: 'h-e',
        time: now,
        stale,
        lat: (Math.min(...lats) + Math.max(...lats)) / 2,
        lon: (Math.min(...lons) + Math.max(...lons)) / 2,
      },
      `${links}${contact}<strokeColor${attr('value', colour)}/><strokeWeight value="3.0"/>${fill}` +
        `<labels_on value="true"/>${remarks}`,
    );
  });
}

interface AlertFeature {
  id: string | number;
  geometry: { type: string; coordinates: unknown };
  properties: { summary?: string; severity?: string; markingText?: string; at?: string };
}

/**
 * An alert as a spot marker (`b-m-p-s-m`) coloured by severity, remarks = summary. Not the
 * emergency type `b-a-o-tbl`: that sets off ATAK's 911 alarm on every device, which a geofence
 * breach reported to a coordination centre is not.
 */
export function alertToCot(f: AlertFeature, now: number): string | null {
  const c = f.geometry?.type === 'Point' ? (f.geometry.coordinates as number[]) : null;
  if (!c || typeof c[0] !== 'number' || typeof c[1] !== 'number') return null;
  const p = f.properties ?? {};
  const summary = p.summary ?? 'Concord alert';
  const at = p.at ? Date.parse(p.at) || now : now;
  return cotEvent(
    {
      uid: alertUid(String(f.id)),
      type: SPOT_MARKER,
      how: 'h-g-i-g-o',
      time: at,
      stale: now + 86_400_000,
      lat: c[1],
      lon: c[0],
    },
    `<contact${attr('callsign', summary.slice(0, 60))}/><color${attr('argb', argb(SEVERITY_COLOUR[p.severity ?? ''] ?? 0xf57c00))}/>` +
      `<remarks>${text(`${p.markingText ? `${p.markingText} — ` : ''}${p.severity ?? 'alert'}: ${summary}`)}</remarks>`,
  );
}

/** TAK's way of removing an item from every map: a `t-x-d-d` that links to it. */
export function deleteToCot(uid: string, now: number): string {
  return cotEvent(
    {
      uid: `${uid}.delete`,
      type: 't-x-d-d',
      how: 'h-g-i-g-o',
      time: now,
      stale: now + 20_000,
      lat: 0,
      lon: 0,
    },
    `<link${attr('uid', uid)} relation="none" type="none"/><__forcedelete/>`,
  );
}

export function pongCot(now: number): string {
  return cotEvent(
    { uid: 'takPong', type: PONG, how: 'h-g-i-g-o', time: now, stale: now + 20_000, lat: 0, lon: 0 },
    '',
  );
}
