import { describe, expect, it } from 'vitest';
import { defaultAlertRules } from '../../src/domain/alert-rules.js';
import type { AlertCandidate } from '../../src/domain/alerts.js';
import { haversineM } from '../../src/domain/geo-predicates.js';
import { GeofenceEngine } from '../../src/server/modules/geofence/index.js';
import { at, ENTER_EXIT, OPEN, pt, square, track, zone } from './geofence-helpers.js';

const triggers = (xs: readonly AlertCandidate[]) =>
  xs.map((a) => `${a.trigger}:${a.zone.id}:v${a.zone.version}`);

/** Runs a path of [x, y] metres (one report a second) and returns every alert, in order. */
function walk(engine: GeofenceEngine, path: [number, number][], uid = 'veh-1', t0 = 1000): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  path.forEach(([x, y], i) => {
    out.push(...engine.evaluate(track(uid), at(x, y, t0 + i * 1000)));
  });
  return out;
}

describe('geofence engine: areas', () => {
  it('raises enter and exit across a polygon with a hole, respecting the hole', () => {
    const e = new GeofenceEngine();
    e.setZones([
      zone('ring', { type: 'Polygon', coordinates: [square(0, 0, 500), square(0, 0, 200)] }, ENTER_EXIT),
    ]);
    const alerts = walk(e, [
      [-800, 0],
      [-350, 0],
      [0, 0],
      [350, 0],
      [800, 0],
    ]);
    expect(triggers(alerts)).toEqual(['enter:ring:v1', 'exit:ring:v1', 'enter:ring:v1', 'exit:ring:v1']);
    expect(alerts[0]!.severity).toBe('warning');
    expect(alerts[1]!.severity).toBe('info');
    expect(alerts[0]!.positions).toHaveLength(1);
  });

  it('treats each part of a multipolygon as the same zone', () => {
    const e = new GeofenceEngine();
    e.setZones([
      zone(
        'pair',
        { type: 'MultiPolygon', coordinates: [[square(-600, 0, 200)], [square(600, 0, 200)]] },
        ENTER_EXIT,
      ),
    ]);
    const alerts = walk(e, [
      [-1200, 0],
      [-600, 0],
      [0, 0],
      [600, 0],
      [1200, 0],
    ]);
    expect(triggers(alerts)).toEqual(['enter:pair:v1', 'exit:pair:v1', 'enter:pair:v1', 'exit:pair:v1']);
  });

  it('establishes state silently on a first report, then raises on change', () => {
    const e = new GeofenceEngine();
    e.setZones([zone('a', { type: 'Polygon', coordinates: [square(0, 0, 500)] }, ENTER_EXIT)]);
    expect(walk(e, [[0, 0]])).toEqual([]);
    expect(triggers(walk(e, [[900, 0]], 'veh-1', 5000))).toEqual(['exit:a:v1']);
  });

  it('raises a dwell alert once per stay', () => {
    const e = new GeofenceEngine();
    e.setZones([
      zone('x', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, [{ trigger: 'dwell', dwellS: 60 }]),
    ]);
    const path: [number, number][] = [[-600, 0]];
    for (let i = 0; i < 300; i++) path.push([(i % 10) * 10, 0]); // five minutes inside
    path.push([-600, 0]);
    for (let i = 0; i < 120; i++) path.push([0, 0]); // a second stay of two minutes
    const alerts = walk(e, path);
    expect(triggers(alerts)).toEqual(['dwell:x:v1', 'dwell:x:v1']);
    expect(alerts[0]!.at - (1000 + 1000)).toBeGreaterThanOrEqual(60_000);
    expect(alerts[0]!.summary).toBe('VEH-1 has stayed in x for more than 1 min (v1)');
  });

  it('raises "cross" on an area edge only when a rule asks for it', () => {
    const e = new GeofenceEngine();
    e.setZones([zone('a', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, [{ trigger: 'cross' }])]);
    expect(
      triggers(
        walk(e, [
          [-600, 0],
          [0, 0],
          [600, 0],
        ]),
      ),
    ).toEqual(['cross:a:v1', 'cross:a:v1']);
  });
});

describe('geofence engine: lines', () => {
  const line = zone(
    'wl',
    { type: 'LineString', coordinates: [pt(-2000, 0), pt(0, 30), pt(2000, 0)] },
    [{ trigger: 'cross', severity: 'critical' }],
    { name: 'Withdrawal line', version: 2 },
  );

  it('raises a crossing in both directions with the two positions of the movement', () => {
    const e = new GeofenceEngine();
    e.setZones([line]);
    const alerts = walk(e, [
      [100, -200],
      [100, 200],
      [100, 500],
      [-100, -300],
    ]);
    expect(triggers(alerts)).toEqual(['cross:wl:v2', 'cross:wl:v2']);
    expect(alerts[0]!.positions).toEqual([at(100, -200, 1000), at(100, 200, 2000)]);
    expect(alerts[0]!.summary).toBe('VEH-1 crossed Withdrawal line (v2)');
    expect(alerts[0]!.severity).toBe('critical');
  });

  it('counts a crossing through a vertex once, and going round the end of the line as none', () => {
    const e = new GeofenceEngine({ hysteresisM: 0 });
    e.setZones([
      zone('v', { type: 'LineString', coordinates: [pt(-1000, 0), pt(0, 0), pt(1000, 0)] }, [
        { trigger: 'cross' },
      ]),
    ]);
    expect(
      walk(
        e,
        [
          [0, -100],
          [0, 100],
        ],
        'a',
      ),
    ).toHaveLength(1);
    expect(
      walk(
        e,
        [
          [-1100, -100],
          [-1200, 0],
          [-1100, 100],
        ],
        'b',
      ),
    ).toHaveLength(0);
  });

  it('does not flap: 1,000 reports alternating ±5 m around a line raise at most one alert', () => {
    const straight = {
      ...line,
      geometry: { type: 'LineString' as const, coordinates: [pt(-2000, 0), pt(2000, 0)] },
    };
    const e = new GeofenceEngine({ hysteresisM: 25 });
    e.setZones([straight]);
    const path: [number, number][] = [[500, -300]];
    for (let i = 0; i < 1000; i++) path.push([500 + i, i % 2 === 0 ? 5 : -5]);
    expect(walk(e, path).length).toBeLessThanOrEqual(1);
    // Without hysteresis the same track raises one alert per crossing: the test can fail.
    const bare = new GeofenceEngine({ hysteresisM: 0 });
    bare.setZones([straight]);
    expect(walk(bare, path).length).toBeGreaterThan(900);
  });

  it('does not flap on an area edge either, and needs the margin to count an exit', () => {
    const e = new GeofenceEngine({ hysteresisM: 25 });
    e.setZones([zone('a', { type: 'Polygon', coordinates: [square(0, 0, 500)] }, ENTER_EXIT)]);
    const path: [number, number][] = [[0, 0]];
    for (let i = 0; i < 1000; i++) path.push([500 + (i % 2 === 0 ? 5 : -5), 0]);
    path.push([520, 0]);
    expect(walk(e, path)).toEqual([]);
    expect(triggers(walk(e, [[530, 0]], 'veh-1', 2_000_000))).toEqual(['exit:a:v1']);
  });
});

describe('geofence engine: approach, versions, rules, order', () => {
  it('raises approach at the right distance (within 1% of haversine at 31.4°N), once', () => {
    const e = new GeofenceEngine({ hysteresisM: 25 });
    e.setZones([
      zone('r', { type: 'Polygon', coordinates: [square(0, 0, 1000)] }, [
        { trigger: 'approach', distanceM: 500 },
      ]),
    ]);
    const path: [number, number][] = [];
    for (let x = 2500; x > 1200; x -= 2) path.push([x, 137]);
    const alerts = walk(e, path);
    expect(alerts).toHaveLength(1);
    const p = alerts[0]!.positions[0]!;
    const edge = pt(1000, 0)[0]!;
    const d = haversineM(p.lon, p.lat, edge, p.lat);
    expect(Math.abs(d - 500) / 500).toBeLessThan(0.01);
    expect(alerts[0]!.summary).toBe('VEH-1 came within 500 m of r (v1)');
  });

  it('records the version in force at the report time, late reports included', () => {
    const T = 100_000;
    const e = new GeofenceEngine();
    e.setZones([
      zone('z', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, ENTER_EXIT, {
        version: 1,
        validTo: T,
      }),
      zone('z', { type: 'Polygon', coordinates: [square(2000, 0, 300)] }, ENTER_EXIT, {
        version: 2,
        validFrom: T,
      }),
    ]);
    expect(
      triggers(
        walk(
          e,
          [
            [-600, 0],
            [0, 0],
          ],
          'a',
          10_000,
        ),
      ),
    ).toEqual(['enter:z:v1']);
    // After T the zone moved east: the track is now outside it, and entering the new place is v2.
    expect(
      triggers(
        walk(
          e,
          [
            [0, 0],
            [2000, 0],
          ],
          'a',
          T + 1000,
        ),
      ),
    ).toEqual(['exit:z:v2', 'enter:z:v2']);
    // A report stamped before T, for another track, is judged against version 1.
    expect(
      triggers(
        walk(
          e,
          [
            [-600, 0],
            [0, 0],
          ],
          'b',
          20_000,
        ),
      ),
    ).toEqual(['enter:z:v1']);
  });

  it('selects rules by track kind and affiliation; the most severe rule of a trigger wins', () => {
    const e = new GeofenceEngine();
    e.setZones([
      zone('a', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, [
        { trigger: 'enter', kinds: ['vehicle'], affiliations: ['hostile'], severity: 'critical' },
        { trigger: 'enter', kinds: ['vehicle'], severity: 'info' },
      ]),
    ]);
    const run = (t: ReturnType<typeof track>) => [
      ...e.evaluate(t, at(-600, 0, 1000)),
      ...e.evaluate(t, at(0, 0, 2000)),
    ];
    expect(run(track('h', { affiliation: 'hostile' })).map((a) => a.severity)).toEqual(['critical']);
    expect(run(track('f', { affiliation: 'friend' })).map((a) => a.severity)).toEqual(['info']);
    expect(run(track('u', { kind: 'uav' }))).toEqual([]);
  });

  it('applies the default rules of a withdrawal line: ground forces yes, friendly drones no', () => {
    const e = new GeofenceEngine();
    e.setZones([
      zone(
        'wl',
        { type: 'LineString', coordinates: [pt(-1000, 0), pt(1000, 0)] },
        defaultAlertRules('withdrawal-line'),
      ),
    ]);
    const cross = (t: ReturnType<typeof track>) => [
      ...e.evaluate(t, at(0, -100, 1000)),
      ...e.evaluate(t, at(0, 100, 2000)),
    ];
    expect(cross(track('v', { kind: 'vehicle', affiliation: 'friend' })).map((a) => a.severity)).toEqual([
      'critical',
    ]);
    expect(cross(track('d', { kind: 'uav', affiliation: 'friend' }))).toEqual([]);
    expect(cross(track('q', { kind: 'uav', affiliation: 'unknown' })).map((a) => a.severity)).toEqual([
      'warning',
    ]);
  });

  it('ignores reports not newer than the last one of the uid', () => {
    const e = new GeofenceEngine();
    e.setZones([zone('a', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, ENTER_EXIT)]);
    const t = track('v');
    expect(e.evaluate(t, at(-600, 0, 5000))).toEqual([]);
    expect(e.evaluate(t, at(0, 0, 4000))).toEqual([]);
    expect(e.evaluate(t, at(0, 0, 5000))).toEqual([]);
    expect(triggers(e.evaluate(t, at(0, 0, 6000)))).toEqual(['enter:a:v1']);
  });

  it('marks an alert so that only who may see both the track and the zone sees it', () => {
    const e = new GeofenceEngine();
    e.setZones([
      zone('a', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, ENTER_EXIT, {
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['USA', 'GBR', 'FRA'], caveats: ['CMCC'] },
      }),
    ]);
    const t = track('v', { marking: { classification: 'RESTRICTED', releasableTo: ['GBR', 'USA'] } });
    e.evaluate(t, at(-600, 0, 1000));
    const [a] = e.evaluate(t, at(0, 0, 2000));
    expect(a!.marking).toEqual({
      classification: 'RESTRICTED',
      releasableTo: ['USA', 'GBR'],
      caveats: ['CMCC'],
    });
    expect(a!.track).toBe(t);
  });

  it('takes zones incrementally: upsert raises for new zones, remove forgets without an exit', () => {
    const e = new GeofenceEngine();
    const t = track('v');
    expect(e.evaluate(t, at(0, 0, 1000))).toEqual([]);
    e.upsertZone(zone('a', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, ENTER_EXIT));
    // A zone drawn around a track: the track is now inside something new, which is worth saying.
    expect(triggers(e.evaluate(t, at(1, 0, 2000)))).toEqual(['enter:a:v1']);
    e.upsertZone(
      zone('b', { type: 'Polygon', coordinates: [square(0, 0, 300)] }, ENTER_EXIT, { marking: OPEN }),
    );
    e.removeZone('a');
    expect(triggers(e.evaluate(t, at(2, 0, 3000)))).toEqual(['enter:b:v1']);
    expect(triggers(e.evaluate(t, at(900, 0, 4000)))).toEqual(['exit:b:v1']);
    expect(e.zoneCount).toBe(1);
    e.forget('v');
    expect(e.trackCount).toBe(0);
  });
});
