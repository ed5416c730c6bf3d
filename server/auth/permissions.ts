/**
 * Who may do what in the console. One table, read by every tRPC procedure on the
 * server (server/trpc/init.ts) and by the UI to hide or disable actions
 * (app/lib/use-can.ts). Client-safe: no server imports.
 */
export const ROLES = ["admin", "analyst", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "flows.read",
  "flows.edit",
  "flows.test",
  "flows.publish",
  "logs.read",
  "logs.replay",
  "deliveries.retry",
  "records.read",
  "records.write",
  "records.send",
  "clients.read",
  "clients.manage",
  "connections.read",
  "credentials.manage",
  "users.manage",
  "audit.read",
  "settings.manage",
  "metrics.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ONLY: Permission[] = ["flows.read", "logs.read", "records.read", "clients.read", "connections.read"];

/**
 * admin: everything. analyst: edit and test drafts — no publishing, no credentials.
 * operator: logs, replays, retries, the Failed Queue, records and "Send to API".
 * viewer: read-only.
 */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  analyst: new Set<Permission>([...READ_ONLY, "flows.edit", "flows.test"]),
  operator: new Set<Permission>([
    ...READ_ONLY,
    "logs.replay",
    "deliveries.retry",
    "records.write",
    "records.send",
    "metrics.read",
  ]),
  viewer: new Set<Permission>(READ_ONLY),
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin — everything",
  analyst: "Analyst — edit and test drafts",
  operator: "Operator — logs, retries, Failed Queue, Send to API",
  viewer: "Viewer — read-only",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => can(role, p));
}
