import { describe, expect, it } from 'vitest';
import { automaticIncidentSubtype } from '../../src/domain/incidents.js';
import {
  incidentTitle,
  markingCovers,
  representativePoint,
} from '../../src/server/modules/incidents/incidents.features.js';

describe('automatic incidents', () => {
  const alert = {
    trigger: 'cross',
    zoneKind: 'withdrawal-line',
    trackKind: 'vehicle',
    trackAffiliation: 'unknown',
  };
  it('are opened for ground tracks crossing or entering lines and buffer zones', () => {
    expect(automaticIncidentSubtype(alert)).toBe('ground-vehicle');
    expect(automaticIncidentSubtype({ ...alert, trackKind: 'convoy', trackAffiliation: 'hostile' })).toBe(
      'ground-vehicle',
    );
    expect(
      automaticIncidentSubtype({ ...alert, trackKind: 'team', zoneKind: 'buffer-zone', trigger: 'enter' }),
    ).toBe('personnel');
    expect(automaticIncidentSubtype({ ...alert, trackKind: 'unit', zoneKind: 'ceasefire-line' })).toBe(
      'personnel',
    );
  });
  it('are not opened for other triggers, zones, kinds, or friendly and neutral tracks', () => {
    expect(automaticIncidentSubtype({ ...alert, trigger: 'exit' })).toBeNull();
    expect(automaticIncidentSubtype({ ...alert, trigger: 'approach' })).toBeNull();
    expect(automaticIncidentSubtype({ ...alert, zoneKind: 'restricted-area' })).toBeNull();
    expect(automaticIncidentSubtype({ ...alert, trackKind: 'uav' })).toBeNull();
    expect(automaticIncidentSubtype({ ...alert, trackKind: 'vessel' })).toBeNull();
    expect(automaticIncidentSubtype({ ...alert, trackAffiliation: 'friend' })).toBeNull();
    expect(automaticIncidentSubtype({ ...alert, trackAffiliation: 'neutral' })).toBeNull();
  });
});

describe('incident helpers', () => {
  it('title an incident by category, sub-type and place', () => {
    expect(incidentTitle('fire-across-line', 'small-arms', 'Rafah')).toBe(
      'Fire across the line — small arms near Rafah',
    );
    expect(incidentTitle('other', 'other', null)).toBe('Other');
  });

  it('take the area centroid of a polygon', () => {
    const [lon, lat] = representativePoint({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [4, 0],
          [4, 2],
          [0, 2],
          [0, 0],
        ],
      ],
    });
    expect(lon).toBeCloseTo(2, 9);
    expect(lat).toBeCloseTo(1, 9);
    expect(representativePoint({ type: 'Point', coordinates: [34.1, 31.2] })).toEqual([34.1, 31.2]);
  });

  it('say whether everyone who sees one marking sees another', () => {
    const all = { classification: 'UNCLASSIFIED' as const, releasableTo: ['ALL'] };
    const usaGbr = { classification: 'RESTRICTED' as const, releasableTo: ['USA', 'GBR'] };
    expect(markingCovers(usaGbr, all)).toBe(true);
    expect(markingCovers(all, usaGbr)).toBe(false);
    expect(markingCovers({ ...usaGbr, releasableTo: ['USA'] }, usaGbr)).toBe(true);
    expect(markingCovers(usaGbr, { ...usaGbr, releasableTo: ['USA'] })).toBe(false);
    expect(markingCovers(usaGbr, { ...usaGbr, classification: 'SECRET' })).toBe(false);
    expect(markingCovers(usaGbr, { ...usaGbr, caveats: ['ORCON'] })).toBe(false);
    expect(markingCovers({ ...usaGbr, caveats: ['ORCON'] }, usaGbr)).toBe(true);
  });
});
