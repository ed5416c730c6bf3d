/**
 * Connections and credentials for the example outgoing flows, pointing at the
 * demo receivers (server/demo/receivers.ts, on FLOWPORT_DEMO_PORT), so approving an
 * invoice or creating a vendor delivers end to end on a fresh install. The
 * connections are explicitly allowed to reach this machine (allowPrivate), as an
 * admin would have to allow them; point them at the real systems before going live:
 * `flowport connections set accounting-system --url https://… --credential accounting-api-token`.
 */
import { randomBytes } from "node:crypto";
import type { Sql } from "postgres";
import { demoSystemUrl } from "../demo/receivers";
import { env } from "../env";
import { logger } from "../log";
import { setConnection } from "../outgoing/connections";
import { setCredential } from "../outgoing/credentials";
import type { Seeder } from ".";

/** The seeded demo connections and the demo system each calls. */
const DEMO_CONNECTIONS = { "accounting-system": "accounting", "payment-portal": "payment-portal" } as const;

export const demoOutgoingSeeder: Seeder = {
  name: "demo-outgoing-connections",
  async run({ sql }) {
    const port = env().demoPort;
    await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: randomBytes(24).toString("base64url"), owner: "external" });
    await setCredential(sql, { name: "payment-portal-key", type: "api_key", secret: randomBytes(24).toString("base64url"), config: { header: "x-api-key" }, owner: "external" });
    await setConnection(sql, { name: "accounting-system", baseUrl: demoSystemUrl(port, "accounting"), credentialName: "accounting-api-token", allowPrivate: true, owner: "external (demo receiver)" });
    await setConnection(sql, { name: "payment-portal", baseUrl: demoSystemUrl(port, "payment-portal"), credentialName: "payment-portal-key", allowPrivate: true, owner: "external (demo receiver)" });
    return { banner: [`demo outgoing connections: accounting-system, payment-portal → demo receivers on 127.0.0.1:${port} (replace with the real systems)`] };
  },
};

/**
 * The demo receivers used to live inside the app (`http://127.0.0.1:<PORT>/api/demo/<system>`).
 * A data dir seeded then still points its demo connections there: re-point each seeded one whose
 * URL is still exactly that old default to the receivers' own port. A URL anyone changed is kept.
 */
export async function repointDemoConnections(sql: Sql, port = env().demoPort): Promise<string[]> {
  const moved: string[] = [];
  for (const [name, system] of Object.entries(DEMO_CONNECTIONS)) {
    const rows = await sql<{ name: string }[]>`
      update connections set base_url = ${demoSystemUrl(port, system)}, updated_at = now()
      where name = ${name} and base_url ~ ${`^http://127\\.0\\.0\\.1:[0-9]+/api/demo/${system}$`}
      returning name`;
    moved.push(...rows.map((r) => r.name));
  }
  if (moved.length > 0) logger().info({ connections: moved, port }, "demo connections re-pointed to the demo receivers' own port");
  return moved;
}
