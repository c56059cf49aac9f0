import { describe, expect, it } from 'vitest';
import type { Me } from '../../src/web/app/auth';
import { parseRoute } from '../../src/web/app/router';
import {
  defaultNotificationDraft,
  notificationInput,
} from '../../src/web/features/notifications/notificationDraft';

const ngo: Me = {
  id: 'u1',
  username: 'ngo.field',
  displayName: 'F. Field',
  organisation: 'MEDRELIEF',
  nation: null,
  roles: ['humanitarian'],
  clearance: 'UNCLASSIFIED',
  caveats: [],
  principals: ['MEDRELIEF'],
};

describe('the notification form draft', () => {
  const base = { ...defaultNotificationDraft(ngo, new Date('2026-12-01T10:20:00Z')), title: 'Convoy' };

  it('starts 48 h ahead on the hour, told to both parties, released to all', () => {
    expect(base.windowStart).toBe('2026-12-03T11:00');
    expect(base.parties).toEqual(['ISR', 'PSE']);
    const built = notificationInput({
      ...base,
      route: [
        [34.4, 31.4],
        [34.42, 31.42],
      ],
    });
    expect('input' in built && built.input.marking.releasableTo).toContain('ALL');
  });

  it('sends a movement as its route and a site as a point', () => {
    const movement = notificationInput({
      ...base,
      route: [
        [34.4, 31.4],
        [34.42, 31.42],
      ],
      vehicles: '3',
    });
    expect('input' in movement && movement.input).toMatchObject({
      kind: 'movement',
      geometry: {
        type: 'LineString',
        coordinates: [
          [34.4, 31.4],
          [34.42, 31.42],
        ],
      },
      vehicles: 3,
      windowStart: '2026-12-03T11:00:00.000Z',
    });
    const site = notificationInput({ ...base, kind: 'static-site', lon: '34.3', lat: '31.35' });
    expect('input' in site && site.input.geometry).toEqual({ type: 'Point', coordinates: [34.3, 31.35] });
  });

  it('says what is missing', () => {
    expect(notificationInput({ ...base, route: [[34.4, 31.4]] })).toEqual({
      problem: 'Draw the route: at least two points.',
    });
    expect(notificationInput({ ...base, kind: 'static-site' })).toEqual({
      problem: 'Place the site on the map.',
    });
    expect(
      notificationInput({
        ...base,
        parties: [],
        route: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toEqual({
      problem: 'Tell at least one party.',
    });
  });
});

describe('the notification routes', () => {
  it('deep-links the list, the form, one notification and one facility', () => {
    expect(parseRoute('/notifications', '')).toEqual({ page: 'notifications' });
    expect(parseRoute('/notifications/new', '')).toEqual({ page: 'notification-new' });
    expect(parseRoute('/notifications/abc', '')).toEqual({ page: 'notification', id: 'abc' });
    expect(parseRoute('/facilities/f1/', '')).toEqual({ page: 'facility', id: 'f1' });
  });
});
