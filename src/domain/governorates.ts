/**
 * The five governorates of the Gaza Strip, for counting incidents by area. The boundaries are
 * illustrative: four straight cuts across the strip, north to south, placed so that each town falls
 * in its governorate. Good enough to count by area; not a survey.
 */

export const GOVERNORATES = ['North Gaza', 'Gaza', 'Deir al-Balah', 'Khan Younis', 'Rafah'] as const;
export type Governorate = (typeof GOVERNORATES)[number];

/** The cut south of each governorate but the last: a line [lon, lat] → [lon, lat] across the strip. */
const CUTS: readonly [[number, number], [number, number]][] = [
  [
    [34.4, 31.545],
    [34.56, 31.505],
  ],
  [
    [34.3, 31.49],
    [34.5, 31.43],
  ],
  [
    [34.25, 31.4],
    [34.45, 31.34],
  ],
  [
    [34.2, 31.32],
    [34.4, 31.27],
  ],
];

/** The strip's extent with a margin, to clip the governorate polygons drawn on maps. */
const EXTENT = { west: 34.15, east: 34.6, south: 31.18, north: 31.62 } as const;

function cutLatAt(cut: (typeof CUTS)[number], lon: number): number {
  const [[x1, y1], [x2, y2]] = cut;
  return y1 + ((lon - x1) / (x2 - x1)) * (y2 - y1);
}

/** The governorate a point lies in, or null when it is outside the strip's extent. */
export function governorateOf(lon: number, lat: number): Governorate | null {
  if (lon < EXTENT.west || lon > EXTENT.east || lat < EXTENT.south || lat > EXTENT.north) return null;
  for (let i = 0; i < CUTS.length; i++) {
    if (lat >= cutLatAt(CUTS[i]!, lon)) return GOVERNORATES[i]!;
  }
  return GOVERNORATES[GOVERNORATES.length - 1]!;
}

/** Each governorate as a GeoJSON Polygon over the strip's extent, north to south, for the report map. */
export function governoratePolygons(): { name: Governorate; coordinates: number[][][] }[] {
  const { west, east, south, north } = EXTENT;
  const edge = (i: number, lon: number) =>
    i < 0 ? north : i >= CUTS.length ? south : cutLatAt(CUTS[i]!, lon);
  return GOVERNORATES.map((name, i) => {
    const ring = [
      [west, edge(i - 1, west)],
      [east, edge(i - 1, east)],
      [east, edge(i, east)],
      [west, edge(i, west)],
    ];
    ring.push(ring[0]!);
    return { name, coordinates: [ring] };
  });
}
