import { describe, expect, it } from 'vitest';
import type { ReplayWindow } from '../../src/domain/replay.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import { indexAt, positionAt, toModel, trailAt } from '../../src/web/features/replay/model.js';
import { customRange } from '../../src/web/features/replay/windows.js';
import { heldRange } from '../../src/web/features/replay/zonesAt.js';

const FROM = Date.parse('2026-05-01T12:00:00Z');
const ALL = { classification: 'UNCLASSIFIED' as const, releasableTo: ['ALL'] };

function model(t: number[], lon: number[], course: (number | null)[] = t.map(() => null)) {
  const w: ReplayWindow = {
    from: new Date(FROM).toISOString(),
    to: new Date(FROM + 3_600_000).toISOString(),
    until: new Date(FROM + 3_600_000).toISOString(),
    truncated: false,
    positions: t.length,
    marking: ALL,
    markingText: 'UNCLASSIFIED//REL TO ALL',
    tracks: [
      {
        uid: 'a',
        kind: 'vehicle',
        affiliation: 'friend',
        sidc: 'SFGPEV---------',
        callsign: 'A',
        staleAfterMs: 60_000,
        marking: ALL,
        markingText: 'UNCLASSIFIED//REL TO ALL',
        t,
        lon,
        lat: t.map(() => 31),
        course,
        speed: t.map(() => null),
      },
    ],
  };
  return toModel(w).tracks[0]!;
}

describe('replay model', () => {
  it('finds the position at or before a time', () => {
    const times = new Float64Array([10, 20, 30]);
    expect([5, 10, 15, 20, 30, 99].map((x) => indexAt(times, x))).toEqual([-1, 0, 0, 1, 2, 2]);
  });

  it('interpolates between positions and holds after the last until stale', () => {
    const tr = model([0, 30_000, 60_000], [34, 34.3, 34.6]);
    expect(positionAt(tr, FROM - 1)).toBeNull();
    expect(positionAt(tr, FROM + 15_000)?.lon).toBeCloseTo(34.15, 9);
    // No course reported: the way it goes between the two positions (east).
    expect(positionAt(tr, FROM + 15_000)?.course).toBeCloseTo(90, 6);
    expect(positionAt(tr, FROM + 100_000)?.lon).toBe(34.6);
    expect(positionAt(tr, FROM + 120_001)).toBeNull();
  });

  it('does not join positions further apart than the stale interval', () => {
    const tr = model([0, 200_000], [34, 35], [45, 45]);
    expect(positionAt(tr, FROM + 30_000)).toMatchObject({ lon: 34, course: 45 });
    expect(positionAt(tr, FROM + 100_000)).toBeNull();
    expect(positionAt(tr, FROM + 200_000)?.lon).toBe(35);
  });

  // Five minutes back from 6:30: the positions from 2:00 on, then where the track is now.
  it('draws the trail of the last minutes up to the position now', () => {
    const tr = model([0, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000], [0, 1, 2, 3, 4, 5, 6]);
    const at = FROM + 390_000;
    const now = positionAt(tr, at);
    expect(trailAt(tr, at, now).map(([lon]) => lon)).toEqual([2, 3, 4, 5, 6, 6]);
    expect(trailAt(tr, at, null)).toEqual([]);
  });

  it('checks a custom window', () => {
    expect(customRange('2026-05-01T12:00', '2026-05-01T11:00')).toBe('order');
    expect(customRange('2026-05-01T12:00', '2026-05-02T12:01')).toBe('tooLong');
    expect(customRange('nonsense', '2026-05-01T11:00')).toBe('badFrom');
    expect(customRange('2026-05-01T12:00', '2026-05-01T13:00')).toEqual({ from: FROM, to: FROM + 3_600_000 });
  });

  it('knows how long the zones fetched for a time stay the zones in force', () => {
    const zone = (validFrom: string, validTo: string | null) =>
      ({ properties: { validFrom, validTo } }) as unknown as ZoneFeature;
    const at = FROM;
    expect(heldRange([], at)).toEqual([at - 300_000, at + 300_000]);
    expect(heldRange([zone('2026-05-01T11:58:00Z', '2026-05-01T12:01:00Z')], at)).toEqual([
      at - 120_000,
      at + 60_000,
    ]);
  });
});
