/**
 * Permissions, named as in SAFEQ Cloud where it has them, and roles that bundle them.
 * Roles are granted to groups; a user holds the roles of every group they belong to, and
 * everybody belongs to ALL USERS.
 */
export const SELF_SERVICE_PERMISSIONS = [
  'ViewMyProfile',
  /** SAFEQ also calls it EditMyProfile. */
  'ModifyMyProfile',
  'GenerateOTP',
  'GenerateShortID',
  'ViewUserInputPorts',
] as const;

export const ADMIN_PERMISSIONS = [
  'ManageUsers',
  'ViewCards',
  'ManageCards',
  'ManageTerminals',
  'ManageSettings',
  'ViewAudit',
  /** Print queues, their containers and who sees them. */
  'ManagePrinters',
] as const;

export type Permission =
  (typeof SELF_SERVICE_PERMISSIONS)[number] | (typeof ADMIN_PERMISSIONS)[number];

export const ROLES = {
  'self-service': [...SELF_SERVICE_PERMISSIONS],
  'card-manager': ['ViewCards', 'ManageCards'],
  'user-manager': ['ManageUsers', 'ViewCards', 'ManageCards'],
  auditor: ['ViewAudit'],
  administrator: [...SELF_SERVICE_PERMISSIONS, ...ADMIN_PERMISSIONS],
} as const satisfies Record<string, readonly Permission[]>;
export type Role = keyof typeof ROLES;

export const ALL_USERS_GROUP = 'ALL USERS';

export function permissionsOfRoles(roles: Iterable<string>): Set<Permission> {
  const permissions = new Set<Permission>();
  for (const role of roles) {
    for (const permission of (ROLES as Record<string, readonly Permission[] | undefined>)[role] ??
      []) {
      permissions.add(permission);
    }
  }
  return permissions;
}
