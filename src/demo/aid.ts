import type { NotificationAction, NotificationInput } from '../domain/deconfliction.js';
import type { FacilityInput } from '../domain/facilities.js';
import type { Marking } from '../domain/marking.js';
import type { Viewer } from '../domain/viewer.js';
import type { Db } from '../server/db/database.js';
import { alertsService } from '../server/modules/alerts/index.js';
import { facilitiesService } from '../server/modules/facilities/index.js';
import { notificationsService } from '../server/modules/notifications/index.js';

/**
 * Synthetic humanitarian facilities and deconfliction notifications: invented, illustrative, never
 * operational. Loaded through the same services the API uses.
 */

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };

const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] });

export const DEMO_FACILITIES: { by: string; facility: FacilityInput }[] = [
  {
    by: 'un.logistics',
    facility: {
      name: 'UN warehouse Deir al-Balah',
      kind: 'warehouse',
      operator: 'WFP',
      location: at(34.352, 31.416),
      status: 'operational',
      marking: ALL,
    },
  },
  {
    by: 'ngo.field',
    facility: {
      name: 'MedRelief field hospital Khan Younis',
      kind: 'hospital',
      operator: 'MEDRELIEF',
      location: at(34.292, 31.352),
      status: 'operational',
      notes: '120 beds, two operating theatres (synthetic).',
      marking: ALL,
    },
  },
  {
    by: 'un.logistics',
    facility: {
      name: 'Bakery Deir al-Balah centre',
      kind: 'bakery',
      operator: 'WFP',
      location: at(34.347, 31.421),
      status: 'partially-operational',
      notes: 'Flour for three days.',
      marking: ALL,
    },
  },
  {
    by: 'un.logistics',
    facility: {
      name: 'Bakery Nuseirat',
      kind: 'bakery',
      operator: 'WFP',
      location: at(34.391, 31.451),
      status: 'operational',
      marking: ALL,
    },
  },
  {
    by: 'un.logistics',
    facility: {
      name: 'Distribution point Nuseirat',
      kind: 'distribution-point',
      operator: 'WFP',
      location: at(34.399, 31.445),
      status: 'operational',
      marking: ALL,
    },
  },
  {
    by: 'un.logistics',
    facility: {
      name: 'Water point al-Mawasi north',
      kind: 'water-point',
      operator: 'AQUAAID',
      location: at(34.268, 31.338),
      status: 'operational',
      marking: ALL,
    },
  },
  {
    by: 'un.logistics',
    facility: {
      name: 'Shelter Rafah west school',
      kind: 'shelter',
      operator: 'OCHA',
      location: at(34.236, 31.292),
      status: 'damaged',
      notes: 'Roof damaged; 800 people (synthetic).',
      marking: ALL,
    },
  },
  {
    by: 'ngo.field',
    facility: {
      name: 'MedRelief clinic Gaza City',
      kind: 'clinic',
      operator: 'MEDRELIEF',
      location: at(34.462, 31.508),
      status: 'not-operational',
      marking: ALL,
    },
  },
];

/** Loads the demo facilities; returns their ids by name. */
export async function loadFacilities(
  db: Db,
  viewers: ReadonlyMap<string, Viewer>,
): Promise<Map<string, string>> {
  const service = facilitiesService(db);
  const ids = new Map<string, string>();
  for (const { by, facility } of DEMO_FACILITIES) {
    const f = await service.create(viewers.get(by)!, facility);
    ids.set(facility.name, f.id);
  }
  return ids;
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

interface DemoNotification {
  by: string;
  input: NotificationInput;
  /** Who takes which step after the draft, in order. */
  steps: { by: string; action: NotificationAction; reason?: string }[];
}

/**
 * Notifications for the days after the demo is loaded (windows in the future, so that the
 * demo's own incidents do not correlate with them): a facilitated static site, a movement
 * awaiting the parties' answers, one acknowledged, and a draft.
 */
function demoNotifications(facilityIds: ReadonlyMap<string, string>): DemoNotification[] {
  const hospital = facilityIds.get('MedRelief field hospital Khan Younis');
  return [
    {
      by: 'ngo.field',
      input: {
        kind: 'static-site',
        title: 'MedRelief field hospital Khan Younis',
        priority: 'routine',
        noticeOnly: true,
        geometry: at(34.292, 31.352),
        ...(hospital ? { facilityId: hospital } : {}),
        windowStart: inHours(50),
        personnel: 45,
        details: 'Permanent site, staffed day and night.',
        marking: ALL,
      },
      steps: [
        { by: 'ngo.field', action: 'submit' },
        { by: 'usa.monitor', action: 'transmit' },
        { by: 'liaison.isr', action: 'acknowledge' },
        { by: 'liaison.isr', action: 'facilitate' },
        { by: 'liaison.pal', action: 'facilitate' },
      ],
    },
    {
      by: 'un.logistics',
      input: {
        kind: 'movement',
        title: 'WFP convoy Kerem Shalom → Deir al-Balah warehouse',
        priority: 'routine',
        noticeOnly: false,
        geometry: {
          type: 'LineString',
          coordinates: [
            [34.284, 31.223],
            [34.27, 31.3],
            [34.31, 31.36],
            [34.352, 31.416],
          ],
        },
        windowStart: inHours(30),
        windowEnd: inHours(36),
        vehicles: 18,
        personnel: 24,
        marking: ALL,
      },
      steps: [
        { by: 'un.logistics', action: 'submit' },
        { by: 'usa.monitor', action: 'transmit' },
      ],
    },
    {
      by: 'un.logistics',
      input: {
        kind: 'movement',
        title: 'Fuel trucks Kissufim → Nuseirat bakery',
        priority: 'emergency',
        noticeOnly: false,
        geometry: {
          type: 'LineString',
          coordinates: [
            [34.384, 31.376],
            [34.39, 31.42],
            [34.391, 31.451],
          ],
        },
        windowStart: inHours(20),
        windowEnd: inHours(23),
        vehicles: 4,
        personnel: 8,
        marking: ALL,
      },
      steps: [
        { by: 'un.logistics', action: 'submit' },
        { by: 'usa.monitor', action: 'transmit' },
        { by: 'liaison.pal', action: 'acknowledge' },
      ],
    },
    {
      by: 'ngo.field',
      input: {
        kind: 'static-site',
        title: 'Mobile clinic al-Mawasi',
        priority: 'routine',
        noticeOnly: true,
        geometry: at(34.27, 31.335),
        windowStart: inHours(72),
        windowEnd: inHours(240),
        personnel: 6,
        marking: ALL,
      },
      steps: [],
    },
  ];
}

/** Loads the demo notifications and walks each through its steps; returns how many. */
export async function loadNotifications(
  db: Db,
  viewers: ReadonlyMap<string, Viewer>,
  facilityIds: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  const service = notificationsService(db, alertsService(db));
  const list = demoNotifications(facilityIds);
  for (const n of list) {
    let d = await service.create(viewers.get(n.by)!, n.input);
    for (const s of n.steps)
      d = await service.act(viewers.get(s.by)!, d.feature.id, {
        action: s.action,
        version: d.feature.properties.version,
        ...(s.reason ? { reason: s.reason } : {}),
      });
  }
  return list.length;
}
