export const ROLES = [
  'admin',
  'planner',
  'monitor',
  'analyst',
  'humanitarian',
  'party-liaison',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = [
  'nation',
  'military',
  'un-agency',
  'ngo',
  'party-liaison',
  'government',
  'contractor',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Who may do what; the server enforces it, the web shows only what is allowed. */
export const PERMISSIONS = {
  'zones:write': ['admin', 'planner'],
  'users:manage': ['admin'],
  'tracks:report': ['admin', 'planner', 'monitor', 'analyst', 'humanitarian', 'party-liaison'],
  'tokens:own': ['admin', 'planner', 'monitor', 'analyst', 'humanitarian', 'party-liaison', 'viewer'],
  /** Acknowledge, assign, resolve and reopen alerts; everyone else reads the alerts released to them. */
  'alerts:act': ['admin', 'planner', 'monitor', 'analyst'],
  /** Register webhooks that receive the alerts their owner may see. */
  'alerts:webhooks': ['admin', 'planner', 'monitor'],
  /** Submit an allegation or observation. */
  'incidents:report': ['admin', 'planner', 'monitor', 'analyst', 'humanitarian', 'party-liaison'],
  /** Triage, edit, notify the parties, close, merge and reopen. */
  'incidents:triage': ['admin', 'monitor', 'analyst'],
  /** Verify and write the assessment. */
  'incidents:assess': ['analyst'],
  /** Approve or return an assessment in peer review (never one's own). */
  'incidents:review': ['admin', 'analyst'],
  /** Record a party's answer to a finding. */
  'incidents:respond': ['admin', 'analyst', 'party-liaison'],
  /** Attach evidence and record its custody. */
  'incidents:evidence': ['admin', 'monitor', 'analyst'],
  /** Notify sites and movements, register consignments and convoys, import aid lists. */
  'aid:notify': ['admin', 'humanitarian'],
  /** Transmit notifications, set crossing status, enter crossing counts. */
  'aid:coordinate': ['admin', 'planner', 'monitor'],
  /** Answer notifications for one's own party. */
  'aid:answer': ['party-liaison'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
