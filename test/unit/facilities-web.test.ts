import { describe, expect, it } from 'vitest';
import { type FacilityFeature, mayKeepFacilities } from '../../src/domain/facilities';
import type { Me } from '../../src/web/app/auth';
import { parseRoute } from '../../src/web/app/router';
import {
  defaultFacilityDraft,
  draftFromFacility,
  facilityChanges,
  facilityInput,
  mayEditFacility,
} from '../../src/web/features/facilities/facilityDraft';

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

const hospital: FacilityFeature = {
  type: 'Feature',
  id: 'f1',
  geometry: { type: 'Point', coordinates: [34.292, 31.352] },
  properties: {
    id: 'f1',
    name: 'Field hospital',
    kind: 'hospital',
    operator: 'MEDRELIEF',
    status: 'operational',
    notes: '120 beds',
    updatedAt: '2026-12-01T10:00:00.000Z',
    version: 3,
    marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
    markingText: 'UNCLASSIFIED//REL TO ALL',
  },
};

describe('the facility form draft', () => {
  it('records a facility operated by the recorder, released to all', () => {
    const built = facilityInput({
      ...defaultFacilityDraft(ngo),
      name: '  Water point Nuseirat ',
      kind: 'water-point',
      lat: '31.449',
      lon: '34.393',
    });
    expect(built).toEqual({
      input: {
        name: 'Water point Nuseirat',
        kind: 'water-point',
        operator: 'MEDRELIEF',
        location: { type: 'Point', coordinates: [34.393, 31.449] },
        status: 'operational',
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
      },
    });
  });

  it('says what is missing before sending', () => {
    const base = { ...defaultFacilityDraft(ngo), name: 'X', lat: '31.4', lon: '34.4' };
    expect(facilityInput({ ...base, name: ' ' })).toEqual({ problem: 'Give the facility a name.' });
    expect(facilityInput({ ...base, operator: '' })).toEqual({
      problem: 'Give the operating organisation’s code.',
    });
    expect(facilityInput({ ...base, lat: '' })).toHaveProperty('problem');
    expect(facilityInput({ ...base, lat: '95' })).toHaveProperty('problem');
    expect(facilityInput({ ...base, lon: 'east' })).toHaveProperty('problem');
    // The operator code is sent in capitals; what cannot be a code is said in words.
    expect(facilityInput({ ...base, operator: ' wfp ' })).toMatchObject({ input: { operator: 'WFP' } });
    expect(facilityInput({ ...base, operator: 'Med Relief' })).toEqual({
      problem:
        '“MED RELIEF” is not an organisation code: capitals, digits and dashes, 2 to 24 characters (WFP, MEDRELIEF).',
    });
  });

  it('sends only what changed from the facility as the form opened', () => {
    const draft = draftFromFacility(hospital);
    expect(facilityChanges(hospital, draft)).toEqual({
      problem: 'Nothing has changed: there is nothing to save.',
    });
    expect(facilityChanges(hospital, { ...draft, status: 'damaged' })).toEqual({
      input: { status: 'damaged' },
    });
    expect(facilityChanges(hospital, { ...draft, lat: '31.36' })).toEqual({
      input: { location: { type: 'Point', coordinates: [34.292, 31.36] } },
    });
    // Emptied notes are sent empty, so that the server clears them instead of keeping the old ones.
    expect(facilityChanges(hospital, { ...draft, notes: '  ' })).toEqual({ input: { notes: '' } });
    const restricted = {
      ...draft,
      marking: { ...draft.marking, classification: 'RESTRICTED' as const },
    };
    expect(facilityChanges(hospital, restricted)).toEqual({
      input: { marking: { classification: 'RESTRICTED', releasableTo: ['ALL'] } },
    });
    expect(facilityChanges(hospital, { ...draft, status: 'damaged', name: '' })).toEqual({
      problem: 'Give the facility a name.',
    });
  });

  it('offers Edit only to whom the server takes a change from', () => {
    expect(mayEditFacility(ngo, hospital)).toBe(true);
    const monitor = { ...ngo, roles: ['monitor'], organisation: 'USA-CMCC', principals: ['USA', 'USA-CMCC'] };
    expect(mayEditFacility(monitor, hospital)).toBe(true);
    expect(mayEditFacility({ ...ngo, roles: ['viewer'] }, hospital)).toBe(false);
    expect(mayEditFacility({ ...ngo, roles: ['party-liaison'] }, hospital)).toBe(false);
    expect(mayKeepFacilities(['analyst'])).toBe(false);
    const secret = {
      ...hospital,
      properties: {
        ...hospital.properties,
        marking: { classification: 'SECRET' as const, releasableTo: ['ALL'] },
      },
    };
    expect(mayEditFacility(ngo, secret)).toBe(false);
  });
});

describe('the facility routes', () => {
  it('tells the new-facility form from a facility', () => {
    expect(parseRoute('/facilities/new', '')).toEqual({ page: 'facility-new' });
    expect(parseRoute('/facilities/f1', '')).toEqual({ page: 'facility', id: 'f1' });
  });
});
