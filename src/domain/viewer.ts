import type { Clearance } from './marking.js';
import type { Role } from './roles.js';

/** The authenticated person or machine on whose behalf a request runs. */
export interface Viewer extends Clearance {
  userId: string;
  username: string;
  displayName: string;
  organisationId: string;
  organisationCode: string;
  nation: string | null;
  roles: Role[];
}

export function principalsOf(nation: string | null, organisationCode: string): string[] {
  return nation && nation !== organisationCode ? [nation, organisationCode] : [organisationCode];
}
