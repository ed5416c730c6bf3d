/**
 * Connections and credentials for the example outgoing flows, pointing at the
 * built-in demo receivers (app/api/demo/…) on this server, so approving an
 * invoice or creating a vendor delivers end to end on a fresh install. The
 * connections are explicitly allowed to reach this machine (allowPrivate), as an
 * admin would have to allow them; point them at the real systems before going live:
 * `flowport connections set accounting-system --url https://… --credential accounting-api-token`.
 */
import { randomBytes } from "node:crypto";
import { env } from "../env";
import { setConnection } from "../outgoing/connections";
import { setCredential } from "../outgoing/credentials";
import type { Seeder } from ".";

export const demoOutgoingSeeder: Seeder = {
  name: "demo-outgoing-connections",
  async run({ sql }) {
    const local = `http://127.0.0.1:${env().PORT}/api/demo`;
    await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: randomBytes(24).toString("base64url"), owner: "external" });
    await setCredential(sql, { name: "payment-portal-key", type: "api_key", secret: randomBytes(24).toString("base64url"), config: { header: "x-api-key" }, owner: "external" });
    await setConnection(sql, { name: "accounting-system", baseUrl: `${local}/accounting`, credentialName: "accounting-api-token", allowPrivate: true, owner: "external (demo receiver)" });
    await setConnection(sql, { name: "payment-portal", baseUrl: `${local}/payment-portal`, credentialName: "payment-portal-key", allowPrivate: true, owner: "external (demo receiver)" });
    return { banner: [`demo outgoing connections: accounting-system, payment-portal → ${local} (replace with the real systems)`] };
  },
};
