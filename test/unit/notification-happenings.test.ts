import { describe, expect, it } from 'vitest';
import type { AlertFeature } from '../../src/domain/alert-status.js';
import type { ChangeEvent } from '../../src/domain/events.js';
import { happeningOf } from '../../src/server/modules/notifications/notifications.correlate.js';

const ALL = { classification: 'UNCLASSIFIED' as const, releasableTo: ['ALL'] };

function alertEvent(affiliation: string): ChangeEvent {
  const feature = {
    type: 'Feature',
    id: 'a1',
    geometry: { type: 'Point', coordinates: [34.4, 31.4] },
    properties: {
      id: 'a1',
      trigger: 'enter',
      status: 'open',
      version: 1,
      at: '2026-12-01T12:00:00Z',
      summary: 'T entered Z',
      trackAffiliation: affiliation,
      marking: ALL,
    },
  } as unknown as AlertFeature;
  return {
    id: '1',
    at: '2026-12-01T12:00:00Z',
    actor: null,
    kind: 'upsert',
    layer: 'alerts',
    entityId: 'a1',
    payload: feature,
    marking: ALL,
    prevMarking: null,
  };
}

describe('what correlation looks at', () => {
  it('takes geofence alerts of hostile or unknown tracks, not of the aid convoy or a friendly drone', () => {
    expect(happeningOf(alertEvent('unknown'))?.sourceAlertId).toBe('a1');
    expect(happeningOf(alertEvent('hostile'))?.sourceAlertId).toBe('a1');
    expect(happeningOf(alertEvent('neutral'))).toBeNull();
    expect(happeningOf(alertEvent('friend'))).toBeNull();
  });
});
