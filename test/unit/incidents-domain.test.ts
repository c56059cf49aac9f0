import { describe, expect, it } from 'vitest';
import { GOVERNORATES, governorateOf, governoratePolygons } from '../../src/domain/governorates.js';
import {
  allowedIncidentActions,
  canEditAssessment,
  INCIDENT_ACTIONS,
  INCIDENT_TRANSITIONS,
  mayReadFinding,
  partiesToNotify,
  refusalOf,
  type WorkflowActor,
  type WorkflowIncident,
} from '../../src/domain/incident-workflow.js';
import { INCIDENT_TAXONOMY, incidentNumber, isSubtypeOf } from '../../src/domain/incidents.js';
import { sideOfLine } from '../../src/domain/line-side.js';

const analyst: WorkflowActor = { userId: 'a1', roles: ['analyst'], nation: 'FRA' };
const secondAnalyst: WorkflowActor = { userId: 'a2', roles: ['analyst'], nation: 'GBR' };
const liaisonPse: WorkflowActor = { userId: 'l1', roles: ['party-liaison'], nation: 'PSE' };
const liaisonIsr: WorkflowActor = { userId: 'l2', roles: ['party-liaison'], nation: 'ISR' };
const viewer: WorkflowActor = { userId: 'v1', roles: ['viewer'], nation: 'CAN' };

const incident = (over: Partial<WorkflowIncident> = {}): WorkflowIncident => ({
  status: 'received',
  analystId: null,
  allegingParty: 'PSE',
  accusedParty: 'ISR',
  notifiedParties: [],
  ...over,
});

describe('incident workflow', () => {
  it('walks the happy path with two different analysts', () => {
    expect(allowedIncidentActions(incident(), analyst)).toEqual(['triage', 'merge']);
    expect(allowedIncidentActions(incident({ status: 'triaged' }), analyst)).toContain('start-verification');
    const verifying = incident({ status: 'under-verification', analystId: 'a1' });
    expect(allowedIncidentActions(verifying, analyst)).toContain('submit-for-review');
    expect(allowedIncidentActions(verifying, secondAnalyst)).not.toContain('submit-for-review');
    const review = incident({ status: 'peer-review', analystId: 'a1' });
    expect(allowedIncidentActions(review, secondAnalyst)).toEqual(
      expect.arrayContaining(['approve', 'return']),
    );
    expect(allowedIncidentActions(review, analyst)).not.toContain('approve');
  });

  it('refuses the analyst reviewing their own assessment with a four-eyes reason', () => {
    const review = incident({ status: 'peer-review', analystId: 'a1' });
    expect(refusalOf('approve', review, analyst)?.code).toBe('four-eyes');
    expect(refusalOf('return', review, analyst)?.code).toBe('four-eyes');
    expect(refusalOf('approve', review, secondAnalyst)).toBeNull();
  });

  it('lets only the analyst edit the assessment, and only under verification', () => {
    expect(canEditAssessment(incident({ status: 'under-verification', analystId: 'a1' }), analyst)).toBe(
      true,
    );
    expect(
      canEditAssessment(incident({ status: 'under-verification', analystId: 'a1' }), secondAnalyst),
    ).toBe(false);
    expect(canEditAssessment(incident({ status: 'peer-review', analystId: 'a1' }), analyst)).toBe(false);
  });

  it('lets a party liaison answer only for a notified party', () => {
    const notified = incident({ status: 'parties-notified', analystId: 'a1', notifiedParties: ['PSE'] });
    expect(allowedIncidentActions(notified, liaisonPse)).toEqual(['record-response']);
    expect(refusalOf('record-response', notified, liaisonIsr)?.code).toBe('forbidden');
    expect(allowedIncidentActions(notified, viewer)).toEqual([]);
  });

  it('refuses transitions from the wrong status whatever the role', () => {
    for (const action of INCIDENT_ACTIONS) {
      const t = INCIDENT_TRANSITIONS[action];
      for (const status of ['received', 'closed', 'merged'] as const) {
        if (t.from.includes(status)) continue;
        expect(
          refusalOf(action, incident({ status }), { userId: 'x', roles: ['admin', 'analyst'], nation: 'USA' })
            ?.code,
        ).toBe('invalid-transition');
      }
    }
  });

  it('withholds the finding from party liaisons until the parties are notified', () => {
    expect(mayReadFinding('assessed', ['party-liaison'])).toBe(false);
    expect(mayReadFinding('parties-notified', ['party-liaison'])).toBe(true);
    expect(mayReadFinding('peer-review', ['analyst'])).toBe(true);
    expect(partiesToNotify({ allegingParty: 'PSE', accusedParty: 'ISR' })).toEqual(['PSE', 'ISR']);
    expect(partiesToNotify({ allegingParty: null, accusedParty: 'UNKNOWN' })).toEqual([]);
  });
});

describe('incident taxonomy and numbers', () => {
  it('knows sub-types by category', () => {
    expect(isSubtypeOf('incursion', 'ground-vehicle')).toBe(true);
    expect(isSubtypeOf('incursion', 'mortar')).toBe(false);
    for (const subs of Object.values(INCIDENT_TAXONOMY)) expect(subs).toContain('other');
    expect(incidentNumber(123)).toBe('INC-000123');
  });
});

describe('governorates', () => {
  it('puts each town in its governorate', () => {
    expect(governorateOf(34.536, 31.539)).toBe('North Gaza'); // Beit Hanoun
    expect(governorateOf(34.484, 31.531)).toBe('North Gaza'); // Jabalia
    expect(governorateOf(34.467, 31.502)).toBe('Gaza'); // Gaza City
    expect(governorateOf(34.393, 31.449)).toBe('Deir al-Balah'); // Nuseirat
    expect(governorateOf(34.35, 31.418)).toBe('Deir al-Balah');
    expect(governorateOf(34.306, 31.34)).toBe('Khan Younis');
    expect(governorateOf(34.27, 31.33)).toBe('Khan Younis'); // al-Mawasi
    expect(governorateOf(34.244, 31.297)).toBe('Rafah');
    expect(governorateOf(34.764, 31.61)).toBeNull(); // Kiryat Gat, outside the strip
  });

  it('draws one closed polygon per governorate', () => {
    const polys = governoratePolygons();
    expect(polys.map((p) => p.name)).toEqual([...GOVERNORATES]);
    for (const p of polys) expect(p.coordinates[0]![0]).toEqual(p.coordinates[0]!.at(-1));
  });
});

describe('side of a line', () => {
  // A line walked north to south along 34.4 E.
  const line = [
    [
      [34.4, 31.6],
      [34.4, 31.2],
    ],
  ];
  it('puts east on the left and west on the right when walking south', () => {
    expect(sideOfLine(line, 34.41, 31.4)?.side).toBe('left');
    expect(sideOfLine(line, 34.39, 31.4)?.side).toBe('right');
  });
  it('measures the distance to the line in metres', () => {
    const d = sideOfLine(line, 34.41, 31.4)!.distanceM;
    expect(d).toBeGreaterThan(940);
    expect(d).toBeLessThan(960);
    expect(sideOfLine([], 34.4, 31.4)).toBeNull();
  });
});
