import { expect } from 'vitest';
import type { NotificationDetail, NotificationInput } from '../../src/domain/deconfliction.js';
import type { Marking } from '../../src/domain/marking.js';
import type { Client } from './server.js';

export const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };

export const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** A static site in the middle of nowhere in particular (central Gaza, away from the demo's). */
export function site(o: Partial<NotificationInput> = {}): NotificationInput {
  return {
    kind: 'static-site',
    title: 'Test clinic',
    priority: 'routine',
    noticeOnly: false,
    geometry: { type: 'Point', coordinates: [34.43, 31.47] },
    windowStart: hoursFromNow(72),
    marking: ALL,
    ...o,
  };
}

export function movement(o: Partial<NotificationInput> = {}): NotificationInput {
  return {
    kind: 'movement',
    title: 'Test convoy',
    priority: 'routine',
    noticeOnly: false,
    geometry: {
      type: 'LineString',
      coordinates: [
        [34.4, 31.4],
        [34.42, 31.42],
        [34.44, 31.43],
      ],
    },
    windowStart: hoursFromNow(72),
    windowEnd: hoursFromNow(80),
    vehicles: 6,
    personnel: 12,
    marking: ALL,
    ...o,
  };
}

export async function draft(c: Client, input: NotificationInput): Promise<NotificationDetail> {
  const r = await c.post('/api/v1/aid/notifications', input);
  expect(r.statusCode, r.body).toBe(201);
  return r.json<NotificationDetail>();
}

export async function step(
  c: Client,
  d: NotificationDetail,
  action: string,
  extra: Record<string, unknown> = {},
): Promise<NotificationDetail> {
  const r = await c.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
    action,
    version: d.feature.properties.version,
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<NotificationDetail>();
}
