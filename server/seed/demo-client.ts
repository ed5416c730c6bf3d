/**
 * The demo API client for the example incoming flows. Its key and token are shown
 * in the start-up banner; since the database keeps only hashes, the plaintext is
 * also written (0600) into the data dir so later starts can show it again.
 * Revoke it with `flowport clients revoke demo` before going live.
 */
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { createClient } from "../incoming/clients";
import type { Seeder } from ".";

const FILE = () => path.join(env().dataDir, "demo-credentials.json");

export const demoClientSeeder: Seeder = {
  name: "demo-api-client",
  async run({ sql }) {
    const { credentials } = await createClient(sql, {
      name: "demo",
      description: "Demo client for the example incoming flows (created on first start)",
      flowScopes: ["*"],
      credentialKind: "both",
    });
    const apiKey = credentials.find((c) => c.kind === "api_key")!.token;
    const bearerToken = credentials.find((c) => c.kind === "bearer")!.token;
    writeDemoCredentials({ client: "demo", apiKey, bearerToken });
    return { banner: [] };
  },
};

/**
 * Merges demo secrets into the data dir's demo-credentials.json (0600): the demo
 * client's key and token, the first admin's sign-in. Local convenience only.
 */
export function writeDemoCredentials(patch: Record<string, string>): void {
  let current: Record<string, string> = {};
  try {
    current = JSON.parse(fs.readFileSync(FILE(), "utf8")) as Record<string, string>;
  } catch {
    // first write
  }
  fs.mkdirSync(env().dataDir, { recursive: true });
  fs.writeFileSync(FILE(), JSON.stringify({ ...current, ...patch }, null, 2), { mode: 0o600 });
}

/** The body of the ready curl the first start prints (and the README shows): the seed's vendor. */
export const DEMO_CURL_BODY = { vendorName: "ABC Suppliers", gstNumber: "27ABCDE1234F1Z5", mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" };

/** Banner lines for the demo credentials, while the file exists. */
export function demoCredentialLines(publicUrl: string): string[] {
  try {
    const { apiKey, adminEmail } = JSON.parse(fs.readFileSync(FILE(), "utf8")) as { apiKey: string; adminEmail?: string };
    return [
      ...(adminEmail ? [`admin sign-in: ${adminEmail} at ${publicUrl}/sign-in (password printed on first start; also in ${FILE()})`] : []),
      `demo API key (client "demo"): ${apiKey}`,
      `  try: curl -X POST ${publicUrl}/api/v1/integration/incoming/vendor-master -H 'content-type: application/json' \\`,
      `       -H 'x-api-key: ${apiKey}' -d '${JSON.stringify(DEMO_CURL_BODY)}'`,
    ];
  } catch {
    return [];
  }
}
