import { forward } from 'mgrs';

/** `31.42012 N, 34.38011 E`: five decimals is about a metre, finer than any pointer. */
export function formatLatLon(lon: number, lat: number): string {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(5)} ${ns}, ${Math.abs(lon).toFixed(5)} ${ew}`;
}

/** MGRS to 1 m, spaced as people read it aloud: `36R XA 12345 67890`. Null where MGRS is undefined (polar). */
export function formatMgrs(lon: number, lat: number): string | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -80 || lat > 84) return null;
  try {
    const m = forward([lon, lat], 5);
    const match = /^(\d{1,2}[A-Z])([A-Z]{2})(\d*)$/.exec(m);
    if (!match) return m;
    const [, gzd, square, digits = ''] = match;
    const half = digits.length / 2;
    return `${gzd} ${square} ${digits.slice(0, half)} ${digits.slice(half)}`;
  } catch {
    return null;
  }
}

/** Longitudes outside ±180 appear when the map wraps around the world; fold them back. */
export function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}
