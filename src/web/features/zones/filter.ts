import type { ZoneFeature, ZoneKind } from '../../../domain/zones';

/** Case- and accent-insensitive, so "deir" finds "Deir al-Balah" and "Dēir" alike. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function filterZones(
  zones: readonly ZoneFeature[],
  visible: ReadonlySet<ZoneKind>,
  query: string,
): ZoneFeature[] {
  const q = fold(query.trim());
  return zones.filter((z) => visible.has(z.properties.kind) && (!q || fold(z.properties.name).includes(q)));
}

export function countByKind(zones: readonly ZoneFeature[]): Map<ZoneKind, number> {
  const counts = new Map<ZoneKind, number>();
  for (const z of zones) counts.set(z.properties.kind, (counts.get(z.properties.kind) ?? 0) + 1);
  return counts;
}
