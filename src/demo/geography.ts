import type { Marking } from '../domain/marking.js';
import type { ZoneInput } from '../domain/zones.js';

/**
 * Illustrative demo geography (approximate public coordinates, [lon, lat]). Synthetic and not
 * operational: the withdrawal line and every restricted area here are invented for the demo.
 */
const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const COALITION: Marking = {
  classification: 'RESTRICTED',
  releasableTo: ['USA', 'GBR', 'FRA', 'DEU', 'CAN'],
};
const HUMANITARIAN: Marking = {
  classification: 'UNCLASSIFIED',
  releasableTo: ['USA', 'GBR', 'OCHA', 'WFP', 'MEDRELIEF', 'AQUAAID'],
};

/** Natural Earth 10m (world-atlas), the southern part of "Palestine". */
export const GAZA_OUTLINE: number[][] = [
  [34.4829, 31.5837],
  [34.5117, 31.5618],
  [34.5297, 31.5415],
  [34.5297, 31.5195],
  [34.4973, 31.4942],
  [34.4937, 31.4942],
  [34.4793, 31.4858],
  [34.3677, 31.3929],
  [34.3461, 31.3574],
  [34.3461, 31.3406],
  [34.3533, 31.3068],
  [34.3497, 31.2899],
  [34.3173, 31.2561],
  [34.2633, 31.224],
  [34.2489, 31.2122],
  [34.2309, 31.2595],
  [34.2237, 31.2764],
  [34.1985, 31.3135],
  [34.2237, 31.327],
  [34.2381, 31.3422],
  [34.2813, 31.376],
  [34.3029, 31.4081],
  [34.3497, 31.4385],
  [34.3677, 31.4689],
  [34.4433, 31.5347],
  [34.4793, 31.5786],
  [34.4829, 31.5837],
];

/** An invented withdrawal line about 1.5–4 km inside the eastern and southern border. */
const WITHDRAWAL_V1: number[][] = [
  [34.497, 31.566],
  [34.506, 31.541],
  [34.503, 31.524],
  [34.479, 31.505],
  [34.461, 31.492],
  [34.349, 31.399],
  [34.325, 31.361],
  [34.322, 31.331],
  [34.325, 31.301],
  [34.301, 31.273],
  [34.263, 31.251],
  [34.251, 31.263],
  [34.241, 31.286],
  [34.222, 31.316],
];
/** Version 2 moves the southern part a little north, as after a negotiated adjustment. */
const WITHDRAWAL_V2: number[][] = WITHDRAWAL_V1.map(([x, y], i) => (i >= 9 ? [x!, y! + 0.006] : [x!, y!]));

/** The eastern and southern border from the coast in the south to the north, to close the buffer zone. */
const BORDER_SOUTH_TO_NORTH: number[][] = [
  [34.1985, 31.3135],
  [34.2237, 31.2764],
  [34.2309, 31.2595],
  [34.2489, 31.2122],
  [34.2633, 31.224],
  [34.3173, 31.2561],
  [34.3497, 31.2899],
  [34.3533, 31.3068],
  [34.3461, 31.3406],
  [34.3461, 31.3574],
  [34.3677, 31.3929],
  [34.4793, 31.4858],
  [34.4973, 31.4942],
  [34.5297, 31.5195],
  [34.5297, 31.5415],
  [34.5117, 31.5618],
];

const point = (lat: number, lon: number) => ({ type: 'Point', coordinates: [lon, lat] });
const square = (lat: number, lon: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - d, lat - d],
      [lon + d, lat - d],
      [lon + d, lat + d],
      [lon - d, lat + d],
      [lon - d, lat - d],
    ],
  ],
});

export const LINE_V1_FROM = '2026-10-10T12:00:00Z';
export const LINE_V2_FROM = '2026-11-01T00:00:00Z';

/** Zones the demo creates, each with the user who creates it (their marking must be released to them). */
export const DEMO_ZONES: { by: string; zone: ZoneInput }[] = [
  {
    by: 'admin',
    zone: {
      name: 'Gaza Strip',
      kind: 'sector',
      geometry: { type: 'Polygon', coordinates: [GAZA_OUTLINE] },
      marking: ALL,
      description: 'Outline from Natural Earth 10m.',
    },
  },
  {
    by: 'admin',
    zone: {
      name: 'Withdrawal line (illustrative)',
      kind: 'withdrawal-line',
      geometry: { type: 'LineString', coordinates: WITHDRAWAL_V1 },
      marking: ALL,
      validFrom: LINE_V1_FROM,
      description: 'Invented for the demo.',
      // Walked north to south, the border side is on the left: incidents name their side with these.
      properties: { leftLabel: 'beyond the line (border side)', rightLabel: 'inside the line (Gaza side)' },
    },
  },
  {
    by: 'usa.planner',
    zone: {
      name: 'Eastern buffer zone',
      kind: 'buffer-zone',
      geometry: {
        type: 'Polygon',
        coordinates: [[...WITHDRAWAL_V1, ...BORDER_SOUTH_TO_NORTH, WITHDRAWAL_V1[0]!]],
      },
      marking: COALITION,
      validFrom: LINE_V1_FROM,
    },
  },
  {
    by: 'admin',
    zone: { name: 'Kerem Shalom crossing', kind: 'crossing', geometry: point(31.223, 34.284), marking: ALL },
  },
  {
    by: 'admin',
    zone: { name: 'Rafah crossing', kind: 'crossing', geometry: point(31.247, 34.26), marking: ALL },
  },
  {
    by: 'admin',
    zone: { name: 'Kissufim crossing', kind: 'crossing', geometry: point(31.376, 34.384), marking: ALL },
  },
  {
    by: 'admin',
    zone: { name: 'Zikim crossing', kind: 'crossing', geometry: point(31.592, 34.522), marking: ALL },
  },
  {
    by: 'admin',
    zone: { name: 'Erez crossing', kind: 'crossing', geometry: point(31.559, 34.54), marking: ALL },
  },
  {
    by: 'admin',
    zone: {
      name: 'Gaza City',
      kind: 'named-area-of-interest',
      geometry: point(31.502, 34.467),
      marking: ALL,
    },
  },
  {
    by: 'admin',
    zone: { name: 'Jabalia', kind: 'named-area-of-interest', geometry: point(31.531, 34.484), marking: ALL },
  },
  {
    by: 'admin',
    zone: {
      name: 'Beit Lahia',
      kind: 'named-area-of-interest',
      geometry: point(31.546, 34.495),
      marking: ALL,
    },
  },
  {
    by: 'admin',
    zone: {
      name: 'Beit Hanoun',
      kind: 'named-area-of-interest',
      geometry: point(31.539, 34.536),
      marking: ALL,
    },
  },
  {
    by: 'admin',
    zone: { name: 'Nuseirat', kind: 'named-area-of-interest', geometry: point(31.449, 34.393), marking: ALL },
  },
  {
    by: 'admin',
    zone: {
      name: 'Deir al-Balah',
      kind: 'named-area-of-interest',
      geometry: point(31.418, 34.35),
      marking: ALL,
    },
  },
  {
    by: 'admin',
    zone: {
      name: 'Khan Younis',
      kind: 'named-area-of-interest',
      geometry: point(31.34, 34.306),
      marking: ALL,
    },
  },
  {
    by: 'admin',
    zone: { name: 'Rafah', kind: 'named-area-of-interest', geometry: point(31.297, 34.244), marking: ALL },
  },
  {
    by: 'admin',
    zone: {
      name: 'al-Mawasi humanitarian zone',
      kind: 'humanitarian-zone',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [34.235, 31.3],
            [34.262, 31.322],
            [34.292, 31.36],
            [34.282, 31.37],
            [34.25, 31.34],
            [34.226, 31.315],
            [34.235, 31.3],
          ],
        ],
      },
      marking: ALL,
    },
  },
  {
    by: 'admin',
    zone: {
      name: 'CMCC Kiryat Gat',
      kind: 'facility-area',
      geometry: square(31.61, 34.764, 0.004),
      marking: ALL,
    },
  },
  {
    by: 'un.logistics',
    zone: {
      name: 'UN warehouse Deir al-Balah',
      kind: 'facility-area',
      geometry: square(31.413, 34.345, 0.002),
      marking: HUMANITARIAN,
    },
  },
  {
    by: 'un.logistics',
    zone: {
      name: 'Field hospital Khan Younis',
      kind: 'facility-area',
      geometry: square(31.346, 34.296, 0.0015),
      marking: HUMANITARIAN,
    },
  },
  {
    by: 'usa.planner',
    zone: {
      name: 'NAI 3 (synthetic)',
      kind: 'named-area-of-interest',
      geometry: square(31.48, 34.44, 0.01),
      marking: { classification: 'SECRET', releasableTo: ['USA'] },
    },
  },
  {
    by: 'gbr.planner',
    zone: {
      name: 'Sector North (UK planning)',
      kind: 'sector',
      geometry: square(31.53, 34.48, 0.03),
      marking: { classification: 'CONFIDENTIAL', releasableTo: ['USA', 'GBR'] },
    },
  },
  {
    by: 'usa.planner',
    zone: {
      name: 'Restricted area Salah al-Din road',
      kind: 'restricted-area',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [34.3, 31.3],
            [34.31, 31.3],
            [34.45, 31.48],
            [34.44, 31.485],
            [34.3, 31.3],
          ],
        ],
      },
      marking: COALITION,
    },
  },
  {
    by: 'liaison.isr',
    zone: {
      name: 'Notified exclusion area (ISR)',
      kind: 'restricted-area',
      geometry: square(31.26, 34.3, 0.006),
      marking: { classification: 'RESTRICTED', releasableTo: ['ISR', 'USA'] },
    },
  },
  {
    by: 'liaison.pal',
    zone: {
      name: 'Civil defence depot (PSE notice)',
      kind: 'facility-area',
      geometry: square(31.44, 34.38, 0.003),
      marking: { classification: 'RESTRICTED', releasableTo: ['PSE', 'USA'] },
    },
  },
];

/** A second version of the withdrawal line, to show versioned geography. */
export const WITHDRAWAL_LINE_V2 = { type: 'LineString', coordinates: WITHDRAWAL_V2 };
