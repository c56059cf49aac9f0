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
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
