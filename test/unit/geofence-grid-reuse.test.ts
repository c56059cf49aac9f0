import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../src/domain/alerts.js';
import type { Position } from '../../src/domain/geometry.js';
import { ZoneIndex } from '../../src/server/modules/geofence/geofence.index.js';
import type { FenceZone } from '../../src/server/modules/geofence/index.js';
import { ENTER_EXIT, pt, square, zone } from './geofence-helpers.js';

const CROSS: AlertRule[] = [{ trigger: 'cross', severity: 'critical' }];

/** A zone: an area (square) or a control line, somewhere in a 6 km square. */
const zoneSpec = fc.record({
  line: fc.boolean(),
  x: fc.integer({ min: -3000, max: 3000 }),
  y: fc.integer({ min: -3000, max: 3000 }),
  size: fc.integer({ min: 60, max: 1500 }),
});
type Spec = { line: boolean; x: number; y: number; size: number };

function fenceZone(id: string, s: Spec, version = 1): FenceZone {
  if (s.line) {
    const coordinates: Position[] = [pt(s.x - s.size, s.y), pt(s.x, s.y + s.size / 3), pt(s.x + s.size, s.y)];
    return zone(id, { type: 'LineString', coordinates }, CROSS, { version });
  }
  return zone(id, { type: 'Polygon', coordinates: [square(s.x, s.y, s.size / 2)] }, ENTER_EXIT, { version });
}

/** What the engine reads of a grid. */
function picture(index: ZoneIndex) {
  const g = index.grid!;
  return {
    frame: [g.west, g.south, g.cellW, g.cellH, g.nx, g.ny],
    cells: Array.from(g.cells),
    items: Array.from(g.items),
    lineFree: Array.from(g.lineFree),
  };
}

describe('zone grid: a rebuild after a change reuses what did not change', () => {
  it('builds the same grid as classifying every zone again, and reuses the zones that stayed', () => {
    fc.assert(
      fc.property(
        fc.array(zoneSpec, { minLength: 3, maxLength: 12 }),
        fc.array(fc.record({ at: fc.nat(), spec: zoneSpec, remove: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        (specs, changes) => {
          const incremental = new ZoneIndex(25, 50);
          for (const [i, s] of specs.entries()) incremental.upsert(fenceZone(`z${i}`, s));
          incremental.rebuild();
          const firstFrame = picture(incremental).frame;
          const current = new Map(specs.map((s, i) => [`z${i}`, { spec: s, version: 1 }]));
          // Keep at least one zone: an empty index has no grid.
          for (const [k, c] of changes.entries()) {
            const id = `z${c.at % specs.length}`;
            if (c.remove && current.size > 1 && current.has(id)) {
              incremental.remove(id);
              current.delete(id);
            } else {
              const version = (current.get(id)?.version ?? 1) + 1 + k;
              // The new version replaces the old one in force (a single version per zone here).
              incremental.remove(id);
              incremental.upsert(fenceZone(id, c.spec, version));
              current.set(id, { spec: c.spec, version });
            }
          }
          incremental.rebuild();
          // While the zones still fit in the first frame, every zone never touched is reused.
          const kept = specs.length - new Set(changes.map((c) => c.at % specs.length)).size;
          const frameKept = picture(incremental).frame.every((v, i) => v === firstFrame[i]);
          expect(incremental.grid!.reusedZones).toBe(frameKept ? kept : 0);

          // The same zones from new objects, over the frame the incremental grid kept: nothing reused.
          const fresh = new ZoneIndex(25, 50);
          for (const [i, s] of specs.entries()) fresh.upsert(fenceZone(`z${i}`, s));
          fresh.rebuild();
          fresh.clear();
          // In the incremental index's order: grid entries name items by their index.
          for (const item of incremental.items) {
            const c = current.get(item.zone.id)!;
            fresh.upsert(fenceZone(item.zone.id, c.spec, c.version));
          }
          fresh.rebuild();
          expect(fresh.grid!.reusedZones).toBe(0);
          expect(picture(incremental)).toEqual(picture(fresh));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the cells of every unchanged zone when one zone changes inside the frame', () => {
    const index = new ZoneIndex(25, 50);
    const specs: Spec[] = Array.from({ length: 20 }, (_, i) => ({
      line: i % 5 === 0,
      x: -2500 + (i % 5) * 1200,
      y: -2500 + Math.floor(i / 5) * 1200,
      size: 500,
    }));
    for (const [i, s] of specs.entries()) index.upsert(fenceZone(`z${i}`, s));
    index.rebuild();
    expect(index.grid!.reusedZones).toBe(0);
    index.upsert(fenceZone('z7', { ...specs[7]!, size: 300 }, 2));
    index.rebuild();
    // Both versions of z7 are items now: the old one and the other 19 zones were classified before.
    expect(index.grid!.reusedZones).toBe(20);
    // A zone far beyond the frame makes a new frame: everything is classified again.
    index.upsert(fenceZone('far', { line: false, x: 40_000, y: 0, size: 500 }));
    index.rebuild();
    expect(index.grid!.reusedZones).toBe(0);
  });
});
