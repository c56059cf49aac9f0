import { describe, expect, it } from 'vitest';
import { checkPositionReport } from '../../../src/domain/position-reports.js';
import { type TrackState, toTrackFeature } from '../../../src/domain/tracks.js';
import type { ZoneFeature } from '../../../src/domain/zones.js';
import { affiliationOfType, classify, kindOfType } from '../../../src/server/ingest/cot/cot-to-report.js';
import {
  alertToCot,
  deleteToCot,
  pongCot,
  trackToCot,
  zoneToCot,
} from '../../../src/server/ingest/cot/feature-to-cot.js';
import { parseCotEvent } from '../../../src/server/ingest/cot/parse.js';
import { sidcToType, typeToSidc } from '../../../src/server/ingest/cot/sidc.js';
import { drawingEvent, markerEvent, pingEvent, saEvent } from '../../support/cot.js';

const NOW = Date.parse('2024-05-01T10:00:00Z');

describe('CoT type <-> SIDC', () => {
  it('maps atom types to 2525C codes and back', () => {
    expect(typeToSidc('a-f-G-U-C')).toBe('SFGPUC---------');
    expect(typeToSidc('a-h-G-E-V-A-T')).toBe('SHGPEVAT-------');
    expect(typeToSidc('a-n-A-M-F-Q')).toBe('SNAPMFQ--------');
    expect(typeToSidc('a-u-S')).toBe('SUSP-----------');
    expect(typeToSidc('b-m-p-s-m')).toBeNull();
    expect(typeToSidc('a-x-G')).toBeNull();
    expect(sidcToType('SFGPUC---------')).toBe('a-f-G-U-C');
    expect(sidcToType('shgpevat-------')).toBe('a-h-G-E-V-A-T');
    expect(sidcToType('GFGPGLB--------')).toBe('a-u-G');
    expect(sidcToType('nonsense')).toBe('a-u-G');
    for (const t of ['a-f-G-U-C', 'a-h-A-M-F-Q', 'a-n-G-E-V', 'a-u-S-X', 'a-j-G-I'])
      expect(sidcToType(typeToSidc(t)!)).toBe(t);
  });

  it('derives kind and affiliation from the type', () => {
    expect(kindOfType('a-f-G-U-C')).toBe('team');
    expect(kindOfType('a-f-G-U-C-I')).toBe('unit');
    expect(kindOfType('a-h-A-M-F-Q')).toBe('uav');
    expect(kindOfType('a-f-A-C-F-q')).toBe('uav');
    expect(kindOfType('a-f-A-M-F')).toBe('aircraft');
    expect(kindOfType('a-n-G-E-V-C')).toBe('vehicle');
    expect(kindOfType('a-u-S')).toBe('vessel');
    expect(kindOfType('a-f-G')).toBe('unit');
    expect(
      ['f', 'a', 'h', 's', 'j', 'k', 'n', 'u', 'p', 'o'].map((x) => affiliationOfType(`a-${x}-G`)),
    ).toEqual([
      'friend',
      'friend',
      'hostile',
      'hostile',
      'hostile',
      'hostile',
      'neutral',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });
});

describe('CoT -> position report', () => {
  it('turns an ATAK SA into the report tracks.report would make of it', () => {
    const r = classify(parseCotEvent(saEvent({ time: NOW })), NOW);
    expect(r).toEqual({
      kind: 'report',
      report: {
        uid: 'ANDROID-589520ccfcd20f01',
        observedAt: NOW,
        staleAt: NOW + 360_000,
        lat: 31.41,
        lon: 34.39,
        alt: -12.5,
        accuracy: 9.9,
        course: 271.3,
        speed: 1.25,
        footprint: null,
        callsign: 'VIPER-1',
        kind: 'team',
        affiliation: 'friend',
        sidc: 'SFGPUC---------',
        source: 'tak',
      },
    });
    // The same report sent as JSON: ISO times, no footprint.
    const { footprint: _none, ...fields } = r.kind === 'report' ? r.report : ({} as never);
    const sent = { ...fields, observedAt: '2024-05-01T10:00:00.000Z', staleAt: '2024-05-01T10:06:00.000Z' };
    expect(checkPositionReport(sent, NOW)).toEqual({ ok: true, report: r.kind === 'report' && r.report });
  });

  it('refuses what tracks would refuse: a time before 1900, or ahead of the clock', () => {
    const old = saEvent({ time: Date.UTC(1899, 11, 31) });
    expect(classify(parseCotEvent(old), NOW)).toEqual({ kind: 'refused' });
    const ahead = saEvent({ time: NOW + 10 * 60_000 });
    expect(classify(parseCotEvent(ahead), NOW)).toEqual({ kind: 'refused' });
    expect(classify(parseCotEvent(ahead), NOW + 10 * 60_000).kind).toBe('report');
  });

  it('keeps __milsym over the symbol derived from the type', () => {
    const xml = saEvent({ type: 'a-h-G', time: NOW }).replace(
      '<detail>',
      '<detail><__milsym id="SHGPEVAT-------"/>',
    );
    const r = classify(parseCotEvent(xml), NOW);
    expect(r.kind === 'report' && r.report.sidc).toBe('SHGPEVAT-------');
  });

  it('reports a spot marker as a static unit of unknown affiliation; ignores drawings; answers pings', () => {
    const m = classify(parseCotEvent(markerEvent(undefined, NOW)), NOW);
    expect(m).toMatchObject({
      kind: 'report',
      report: { kind: 'unit', affiliation: 'unknown', callsign: 'R 1', lat: 31.5 },
    });
    expect(m.kind === 'report' && m.report.alt).toBeNull();
    expect(classify(parseCotEvent(drawingEvent()), NOW)).toEqual({ kind: 'ignored', why: 'drawing' });
    expect(classify(parseCotEvent(pingEvent()), NOW)).toEqual({ kind: 'ping' });
    expect(parseCotEvent(pongCot(NOW)).type).toBe('t-x-c-t-r');
  });
});

const state: TrackState = {
  uid: 'UAV-7',
  kind: 'uav',
  affiliation: 'hostile',
  sidc: 'SHAPMFQ--------',
  callsign: 'Drone <7> & co',
  source: 'radar',
  lat: 31.45,
  lon: 34.41,
  alt: 800,
  course: 90,
  speed: 40,
  accuracy: 25,
  footprint: null,
  observedAt: NOW,
  staleAt: NOW + 60_000,
  marking: { classification: 'RESTRICTED', releasableTo: ['GBR', 'USA'] },
  version: 3,
};

describe('Concord -> CoT', () => {
  it('writes a track that reads back as the same report, marking in the remarks', () => {
    const xml = trackToCot(toTrackFeature(state, 'USA-CMCC'), NOW);
    const e = parseCotEvent(xml);
    expect(e.type).toBe('a-h-A-M-F-Q');
    expect(e.how).toBe('m-g');
    expect(e.detail.milsym).toBe('SHAPMFQ--------');
    expect(e.detail.remarks).toMatch(/^RESTRICTED\/\/REL TO USA, GBR/);
    const r = classify(e, NOW);
    expect(r.kind === 'report' && r.report).toMatchObject({
      uid: 'UAV-7',
      callsign: 'Drone <7> & co',
      lat: 31.45,
      lon: 34.41,
      alt: 800,
      accuracy: 25,
      course: 90,
      speed: 40,
      kind: 'uav',
      affiliation: 'hostile',
      sidc: 'SHAPMFQ--------',
      observedAt: NOW,
      staleAt: NOW + 60_000,
    });
  });

  const zone = (geometry: unknown, validTo: string | null = null): ZoneFeature => ({
    type: 'Feature',
    id: 'z1',
    geometry,
    properties: {
      name: 'NAI "3"',
      kind: 'named-area-of-interest',
      version: 1,
      validFrom: new Date(NOW).toISOString(),
      validTo,
      description: null,
      marking: { classification: 'SECRET', releasableTo: ['USA'] },
      markingText: 'SECRET//REL TO USA',
      createdBy: 'usa.planner',
      createdAt: new Date(NOW).toISOString(),
      alertRules: [],
      alertRulesDefault: true,
    },
  });

  it('writes a polygon zone as a closed u-d-f and a line as an open one', () => {
    const ring = [
      [34.3, 31.3],
      [34.4, 31.3],
      [34.4, 31.4],
      [34.3, 31.3],
    ];
    const [poly] = zoneToCot(zone({ type: 'Polygon', coordinates: [ring] }, '2030-01-01T00:00:00.000Z'), NOW);
    const e = parseCotEvent(poly!);
    expect(e).toMatchObject({
      uid: 'concord.zone.z1',
      type: 'u-d-f',
      stale: Date.parse('2030-01-01T00:00:00Z'),
    });
    expect(e.detail.links.map((l) => l.point)).toEqual(['31.3,34.3', '31.3,34.4', '31.4,34.4', '31.3,34.3']);
    expect(e.detail.callsign).toBe('NAI "3"');
    expect(e.detail.remarks).toMatch(/^SECRET\/\/REL TO USA/);
    const [line] = zoneToCot(zone({ type: 'LineString', coordinates: ring.slice(0, 3) }), NOW);
    const l = parseCotEvent(line!);
    expect(l.detail.links).toHaveLength(3);
    expect(l.stale).toBeGreaterThan(NOW + 300 * 86_400_000);
    const multi = zoneToCot(zone({ type: 'MultiPolygon', coordinates: [[ring], [ring]] }), NOW);
    expect(multi.map((x) => parseCotEvent(x).uid)).toEqual(['concord.zone.z1', 'concord.zone.z1.1']);
  });

  it('writes deletes as t-x-d-d linking the uid, and alerts as spot markers with the summary', () => {
    const d = parseCotEvent(deleteToCot('concord.zone.z1', NOW));
    expect(d.type).toBe('t-x-d-d');
    expect(d.detail.links).toEqual([{ uid: 'concord.zone.z1', relation: 'none', type: 'none' }]);
    const a = alertToCot(
      {
        id: 42,
        geometry: { type: 'Point', coordinates: [34.4, 31.4] },
        properties: {
          summary: 'VEH-7 crossed Withdrawal line (v2)',
          severity: 'critical',
          markingText: 'RESTRICTED//REL TO USA',
        },
      },
      NOW,
    );
    const e = parseCotEvent(a!);
    expect(e).toMatchObject({ uid: 'concord.alert.42', type: 'b-m-p-s-m', point: { lat: 31.4, lon: 34.4 } });
    expect(e.detail.remarks).toBe('RESTRICTED//REL TO USA — critical: VEH-7 crossed Withdrawal line (v2)');
  });
});
