import type { Classification } from '../domain/marking.js';
import type { OrganisationKind, Role } from '../domain/roles.js';

/** A synthetic CMCC: a US-led cell, UK planners, partner nations, UN agencies, NGOs and both parties' liaison officers. */
export const DEMO_ORGANISATIONS: {
  code: string;
  name: string;
  kind: OrganisationKind;
  nation: string | null;
}[] = [
  { code: 'USA-CMCC', name: 'US-led coordination cell', kind: 'military', nation: 'USA' },
  { code: 'GBR-PLAN', name: 'UK planning officers', kind: 'military', nation: 'GBR' },
  { code: 'FRA-MIL', name: 'French liaison detachment', kind: 'military', nation: 'FRA' },
  { code: 'DEU-MIL', name: 'German liaison detachment', kind: 'military', nation: 'DEU' },
  { code: 'CAN-MIL', name: 'Canadian staff officers', kind: 'military', nation: 'CAN' },
  { code: 'EGY-GOV', name: 'Egyptian coordination office', kind: 'government', nation: 'EGY' },
  {
    code: 'OCHA',
    name: 'UN Office for the Coordination of Humanitarian Affairs',
    kind: 'un-agency',
    nation: null,
  },
  { code: 'WFP', name: 'World Food Programme', kind: 'un-agency', nation: null },
  { code: 'MEDRELIEF', name: 'MedRelief (NGO, synthetic)', kind: 'ngo', nation: null },
  { code: 'AQUAAID', name: 'AquaAid (NGO, synthetic)', kind: 'ngo', nation: null },
  { code: 'ISR-LO', name: 'Israeli liaison officers', kind: 'party-liaison', nation: 'ISR' },
  { code: 'PSE-LO', name: 'Palestinian liaison officers', kind: 'party-liaison', nation: 'PSE' },
];

export interface DemoUser {
  username: string;
  displayName: string;
  organisation: string;
  roles: Role[];
  clearance: Classification;
}

/** One user per role, plus one per party and per nation the tests compare. */
export const DEMO_USERS: DemoUser[] = [
  {
    username: 'admin',
    displayName: 'Demo Administrator',
    organisation: 'USA-CMCC',
    roles: ['admin', 'planner'],
    clearance: 'SECRET',
  },
  {
    username: 'usa.planner',
    displayName: 'Maj. A. Planner (USA)',
    organisation: 'USA-CMCC',
    roles: ['planner'],
    clearance: 'SECRET',
  },
  {
    username: 'gbr.planner',
    displayName: 'Sqn Ldr B. Planner (GBR)',
    organisation: 'GBR-PLAN',
    roles: ['planner'],
    clearance: 'SECRET',
  },
  {
    username: 'usa.monitor',
    displayName: 'Capt. C. Monitor (USA)',
    organisation: 'USA-CMCC',
    roles: ['monitor'],
    clearance: 'CONFIDENTIAL',
  },
  {
    username: 'fra.analyst',
    displayName: 'Cne D. Analyste (FRA)',
    organisation: 'FRA-MIL',
    roles: ['analyst'],
    clearance: 'SECRET',
  },
  {
    // A second analyst, so that every assessment can be peer-reviewed by someone else.
    username: 'gbr.analyst',
    displayName: 'Flt Lt J. Analyst (GBR)',
    organisation: 'GBR-PLAN',
    roles: ['analyst'],
    clearance: 'SECRET',
  },
  {
    username: 'un.logistics',
    displayName: 'E. Logistics (OCHA)',
    organisation: 'OCHA',
    roles: ['humanitarian'],
    clearance: 'RESTRICTED',
  },
  {
    username: 'ngo.field',
    displayName: 'F. Field (MedRelief)',
    organisation: 'MEDRELIEF',
    roles: ['humanitarian'],
    clearance: 'UNCLASSIFIED',
  },
  {
    username: 'liaison.isr',
    displayName: 'G. Liaison (ISR)',
    organisation: 'ISR-LO',
    roles: ['party-liaison'],
    clearance: 'RESTRICTED',
  },
  {
    username: 'liaison.pal',
    displayName: 'H. Liaison (PSE)',
    organisation: 'PSE-LO',
    roles: ['party-liaison'],
    clearance: 'RESTRICTED',
  },
  {
    username: 'can.viewer',
    displayName: 'I. Viewer (CAN)',
    organisation: 'CAN-MIL',
    roles: ['viewer'],
    clearance: 'RESTRICTED',
  },
];
