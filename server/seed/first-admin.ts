/**
 * The first admin, created on first start with a random password that the banner
 * prints once (and keeps in the data dir's demo-credentials.json, 0600, for local
 * use). More users: the Users page or `flowport users create`.
 */
import { writeDemoCredentials } from "./demo-client";
import type { Seeder } from ".";

export const FIRST_ADMIN_EMAIL = "admin@flowport.local";

export const firstAdminSeeder: Seeder = {
  name: "first-admin",
  async run({ sql }) {
    const [existing] = await sql`select 1 from auth_user where role = 'admin' limit 1`;
    if (existing) return;
    // Loaded here, not at the top: better-auth is heavy and later starts never need it.
    const { createUser, generatePassword } = await import("../auth/users");
    const password = generatePassword();
    await createUser(sql, { email: FIRST_ADMIN_EMAIL, name: "Admin", role: "admin", password });
    writeDemoCredentials({ adminEmail: FIRST_ADMIN_EMAIL, adminPassword: password });
    return { banner: [`first admin created: ${FIRST_ADMIN_EMAIL} / ${password}  (shown once; change it under Users)`] };
  },
};
