import { describe, expect, it } from 'vitest';
import { simulatedReports } from '../../src/demo/simulator.js';
import type { Marking } from '../../src/domain/marking.js';
import {
  checkPositionReport,
  DEFAULT_STALE_MS,
  featurePath,
  MAX_REPORTS_PER_REQUEST,
  reportsFromBody,
  type ValidReport,
} from '../../src/domain/position-reports.js';
import {
  AFFILIATIONS,
  defaultSidc,
  defaultTrackMarking,
  foldReports,
  SIDC_PATTERN,
  TRACK_KINDS,
  type TrackState,
  toTrackFeature,
} from '../../src/domain/tracks.js';

const NOW = Date.parse('2026-11-02T10:00:00Z');
const FALLBACK: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['USA'] };

function valid(over: Record<string, unknown> = {}): ValidReport {
  const r = checkPositionReport(
    { uid: 'u1', observedAt: '2026-11-02T09:59:00Z', lat: 31.4, lon: 34.4, ...over },
    NOW,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.report;
}
const at = (s: number) => new Date(NOW - 60_000 + s * 1000).toISOString();

describe('default symbols', () => {
  it('gives every kind and affiliation a 15-character 2525C code with the affiliation in place', () => {
    for (const k of TRACK_KINDS)
      for (const a of AFFILIATIONS) {
        const sidc = defaultSidc(k, a);
        expect(sidc).toMatch(new RegExp(SIDC_PATTERN));
        expect(sidc[1]).toBe({ friend: 'F', hostile: 'H', neutral: 'N', unknown: 'U' }[a]);
      }
    expect(defaultSidc('uav', 'friend')).toBe('SFAPMFQ--------');
    expect(defaultSidc('aircraft', 'friend')).toBe('SFAPMF---------');
    expect(defaultSidc('vehicle', 'friend')).toBe('SFGPEV---------');
    expect(defaultSidc('convoy', 'neutral')).toBe('SNGPEV---------');
    expect(defaultSidc('team', 'friend')).toBe('SFGPUCI--------');
    expect(defaultSidc('vessel', 'friend')).toBe('SFSP-----------');
    expect(defaultSidc('unit', 'friend')).toBe('SFGPU----------');
    expect(defaultSidc('vehicle', 'hostile')).toBe('SHGPEV---------');
    expect(defaultSidc('unit', 'unknown')).toBe('SUGPU----------');
  });

  it('marks a new track releasable to the reporter: the nation, or the organisation without one', () => {
    expect(defaultTrackMarking('USA', 'USA-CMCC')).toEqual(FALLBACK);
    expect(defaultTrackMarking(null, 'MEDRELIEF')).toEqual({
      classification: 'UNCLASSIFIED',
      releasableTo: ['MEDRELIEF'],
    });
  });
});

describe('checkPositionReport', () => {
  it('fills defaults: stale five minutes after the observation, absent position fields null', () => {
    const r = valid({ alt: null, sidc: 'sfgpev---------' });
    expect(r.staleAt - r.observedAt).toBe(DEFAULT_STALE_MS);
    expect(r).toMatchObject({ alt: null, course: null, speed: null, accuracy: null, footprint: null });
    expect(r.sidc).toBe('SFGPEV---------');
    expect(r.kind).toBeUndefined();
  });

  it('normalises the marking', () => {
    const r = valid({ marking: { classification: 'RESTRICTED', releasableTo: ['GBR', 'USA', 'GBR'] } });
    expect(r.marking).toEqual({ classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] });
  });

  it('names each problem by field', () => {
    const paths = (input: Record<string, unknown>) => {
      const r = checkPositionReport(input, NOW);
      return r.ok ? [] : r.problems.map((p) => p.path).sort();
    };
    expect(paths({ uid: '', lat: -91, lon: 181, course: 361, speed: -1, extra: 1 })).toEqual(
      ['course', 'extra', 'lat', 'lon', 'observedAt', 'speed', 'uid'].sort(),
    );
    expect(
      paths({ uid: 'u', observedAt: at(0), lat: 0, lon: 0, kind: 'tank', callsign: 'x'.repeat(101) }),
    ).toEqual(['callsign', 'kind']);
    expect(
      paths({ uid: 'u', observedAt: at(0), lat: 0, lon: 0, marking: { classification: 'TOP' } }),
    ).toEqual(['marking.classification', 'marking.releasableTo']);
    expect(checkPositionReport('nope', NOW)).toMatchObject({ ok: false });
    expect(checkPositionReport([1], NOW)).toMatchObject({ ok: false });
  });

  it('refuses times that cannot be current: stale before observed, far in the future', () => {
    const bad = (over: Record<string, unknown>) => {
      const r = checkPositionReport({ uid: 'u', lat: 0, lon: 0, observedAt: at(0), ...over }, NOW);
      return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.message}`);
    };
    expect(bad({ staleAt: at(0) })).toEqual(['staleAt must be after observedAt']);
    expect(bad({ observedAt: new Date(NOW + 6 * 60_000).toISOString() })).toEqual([
      'observedAt is more than 5 minutes in the future',
    ]);
    expect(bad({ observedAt: new Date(NOW + 4 * 60_000).toISOString() })).toEqual([]);
    expect(bad({ observedAt: '2026-11-02T09:59:60Z' })[0]).toContain('observedAt');
  });

  it('accepts only a valid Polygon footprint', () => {
    const square = [
      [34, 31],
      [34.1, 31],
      [34.1, 31.1],
      [34, 31.1],
      [34, 31],
    ];
    expect(valid({ footprint: { type: 'Polygon', coordinates: [square] } }).footprint?.type).toBe('Polygon');
    const r = checkPositionReport(
      { uid: 'u', lat: 0, lon: 0, observedAt: at(0), footprint: { type: 'LineString', coordinates: square } },
      NOW,
    );
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['footprint.type']);
  });
});

describe('reportsFromBody', () => {
  it('takes an array as it is and a FeatureCollection of points through their properties', () => {
    const arr = reportsFromBody([{ uid: 'a' }, null]);
    expect(arr).toMatchObject({ ok: true, rejected: [] });
    if (!arr.ok) return;
    expect(arr.candidates.map((c) => [c.index, c.uid, c.fromFeature])).toEqual([
      [0, 'a', false],
      [1, undefined, false],
    ]);

    const fc = reportsFromBody({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'by-id',
          geometry: { type: 'Point', coordinates: [34.1, 31.1, 50] },
          properties: null,
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [34.2, 31.2, 50] },
          properties: { uid: 'p', alt: 70, lat: 1, markingText: 'ignored', organisation: 'X' },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [34] }, properties: { uid: 'short' } },
        { type: 'Feature', geometry: null, properties: { uid: 'none' } },
        'not a feature',
      ],
    });
    expect(fc.ok).toBe(true);
    if (!fc.ok) return;
    expect(fc.candidates.map((c) => c.input)).toEqual([
      { uid: 'by-id', lon: 34.1, lat: 31.1, alt: 50 },
      { uid: 'p', lon: 34.2, lat: 31.2, alt: 70 },
    ]);
    expect(fc.rejected.map((r) => [r.index, r.uid, r.problems[0]!.path])).toEqual([
      [2, 'short', 'geometry'],
      [3, 'none', 'geometry'],
      [4, undefined, 'feature'],
    ]);
  });

  it('refuses other shapes and batches that are empty or too large', () => {
    expect(reportsFromBody({ type: 'Feature' }).ok).toBe(false);
    expect(reportsFromBody('x').ok).toBe(false);
    expect(reportsFromBody([]).ok).toBe(false);
    expect(reportsFromBody(new Array(MAX_REPORTS_PER_REQUEST + 1).fill({})).ok).toBe(false);
    expect(reportsFromBody(new Array(MAX_REPORTS_PER_REQUEST).fill({})).ok).toBe(true);
  });

  it('points problems of feature reports at the geometry or the properties', () => {
    expect(featurePath('lat')).toBe('geometry.coordinates');
    expect(featurePath('marking.releasableTo')).toBe('properties.marking.releasableTo');
  });
});

describe('foldReports', () => {
  it('starts a track with defaults and the latest report as its state', () => {
    const f = foldReports(
      null,
      [valid({ observedAt: at(20), lat: 31.2 }), valid({ observedAt: at(10), lat: 31.1, kind: 'uav' })],
      FALLBACK,
    );
    expect(f.changed).toBe(true);
    expect(f.state).toMatchObject({
      uid: 'u1',
      kind: 'uav',
      affiliation: 'unknown',
      sidc: 'SUAPMFQ--------',
      callsign: 'u1',
      lat: 31.2,
      marking: FALLBACK,
      version: 1,
    });
    expect(f.positions.map((p) => p.report.lat)).toEqual([31.1, 31.2]);
  });

  it('adds older reports to history only and ignores repeated observation times', () => {
    const prev = foldReports(null, [valid({ observedAt: at(30), callsign: 'NOW' })], FALLBACK).state;
    const f = foldReports(
      prev,
      [
        valid({ observedAt: at(10), callsign: 'OLD' }),
        valid({ observedAt: at(10), lat: 5 }),
        valid({ observedAt: at(30) }),
      ],
      FALLBACK,
    );
    expect(f.changed).toBe(false);
    expect(f.state).toBe(prev);
    expect(f.positions.map((p) => [p.report.observedAt, p.report.lat])).toEqual([
      [Date.parse(at(10)), 31.4],
      [Date.parse(at(30)), 31.4],
    ]);
  });

  it('carries attributes forward, clears position fields, and keeps a chosen symbol', () => {
    const first = foldReports(
      null,
      [valid({ observedAt: at(0), speed: 10, source: 'radar', affiliation: 'friend' })],
      FALLBACK,
    ).state;
    const moved = foldReports(first, [valid({ observedAt: at(1), kind: 'vehicle' })], FALLBACK).state;
    expect(moved).toMatchObject({
      speed: null,
      source: 'radar',
      kind: 'vehicle',
      sidc: 'SFGPEV---------',
      version: 2,
    });
    const chosen = foldReports(
      moved,
      [valid({ observedAt: at(2), sidc: 'SFGPEVAL-------' })],
      FALLBACK,
    ).state;
    const after = foldReports(chosen, [valid({ observedAt: at(3), affiliation: 'hostile' })], FALLBACK).state;
    expect(after.sidc).toBe('SFGPEVAL-------');
  });

  it('keeps each observation under the marking in force when it was made', () => {
    const usa: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };
    const f = foldReports(
      null,
      [
        valid({ observedAt: at(1) }),
        valid({ observedAt: at(2), marking: usa }),
        valid({ observedAt: at(3) }),
      ],
      FALLBACK,
    );
    expect(f.positions.map((p) => p.marking)).toEqual([FALLBACK, usa, usa]);
    expect(f.state.marking).toEqual(usa);
  });
});

describe('toTrackFeature', () => {
  it('keeps the marking object a report repeats, and shows each marking normalised', () => {
    const usaGbr: Marking = { classification: 'RESTRICTED', releasableTo: ['GBR', 'USA', 'GBR'] };
    const first = foldReports(null, [valid({ observedAt: at(1), marking: usaGbr })], FALLBACK).state;
    // The same marking again, as a new object (a JSON report carries its own): the state keeps the old one.
    const again = foldReports(
      first,
      [valid({ observedAt: at(2), marking: { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] } })],
      FALLBACK,
    ).state;
    expect(again.marking).toBe(first.marking);
    const wider = foldReports(
      again,
      [valid({ observedAt: at(3), marking: { classification: 'RESTRICTED', releasableTo: ['USA', 'FRA'] } })],
      FALLBACK,
    ).state;
    expect(wider.marking).not.toBe(first.marking);
    for (const [state, text, rel] of [
      [first, 'RESTRICTED//REL TO USA, GBR', ['USA', 'GBR']],
      [again, 'RESTRICTED//REL TO USA, GBR', ['USA', 'GBR']],
      [wider, 'RESTRICTED//REL TO USA, FRA', ['USA', 'FRA']],
    ] as const) {
      const p = toTrackFeature(state, 'USA-CMCC').properties;
      expect(p.markingText).toBe(text);
      expect(p.marking.releasableTo).toEqual(rel);
    }
  });

  it('draws the state as a GeoJSON point with its marking text', () => {
    const s: TrackState = foldReports(null, [valid({ observedAt: at(0), alt: 100 })], FALLBACK).state;
    const f = toTrackFeature(s, 'USA-CMCC');
    expect(f).toMatchObject({
      type: 'Feature',
      id: 'u1',
      geometry: { type: 'Point', coordinates: [34.4, 31.4] },
      properties: {
        organisation: 'USA-CMCC',
        observedAt: at(0),
        alt: 100,
        footprint: null,
        markingText: 'UNCLASSIFIED//REL TO USA',
      },
    });
  });
});

describe('demo simulator', () => {
  it('is deterministic given a seed, and every report it makes is valid', () => {
    const all = (seed: number, t: number) => JSON.stringify([...simulatedReports(seed, t, NOW)]);
    expect(all(7, 42)).toBe(all(7, 42));
    expect(all(7, 42)).not.toBe(all(8, 42));
    const seen = new Set<string>();
    for (let t = 0; t < 1800; t += 7) {
      const batches = simulatedReports(7, t, NOW);
      const reports = [...batches.values()].flat();
      expect(reports.length).toBeLessThanOrEqual(20);
      for (const r of reports) {
        seen.add(r.uid);
        const c = checkPositionReport(r, NOW);
        expect(c.ok, JSON.stringify(c)).toBe(true);
        expect(r.staleAt && Date.parse(r.staleAt) - NOW).toBe(30_000);
        // Over the strip, or offshore for the aircraft's orbit.
        expect(r.lon).toBeGreaterThan(34.15);
        expect(r.lon).toBeLessThan(34.55);
        expect(r.lat).toBeGreaterThan(31.2);
        expect(r.lat).toBeLessThan(31.6);
      }
    }
    expect([...seen].filter((u) => u.startsWith('demo-uav-'))).toHaveLength(3);
    expect([...seen].some((u) => u.startsWith('demo-unknown-'))).toBe(true);
  });
});
