/**
 * No read of the admin routers ever answers with a secret: after keys, tokens, signing secrets,
 * outgoing credentials and a user password exist, every query of these routers (a new one must
 * be added to INPUTS, or this test fails) is called as admin and its answer searched for each
 * plaintext and each stored hash or ciphertext.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeAuth } from "@/server/auth/process-auth";
import { setConnection } from "@/server/outgoing/connections";
import { setCredential } from "@/server/outgoing/credentials";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "@/server/testing/database";
import { appRouter } from "../root";
import { callerAs } from "../testing/caller";

const database = useTestDatabase();
afterAll(() => closeAuth());

const ROUTERS = ["records", "clients", "connections", "users", "audit", "statusRules"];

describe("admin routers never return a secret", () => {
  it("searches every query's answer for every secret, hash and ciphertext", async () => {
    const { sql } = database();
    const admin = callerAs(sql, "admin");
    const client = await admin.clients.create({ name: "leaky", flowScopes: ["*"], credentialKind: "both", withSigningSecret: true });
    const rotated = await admin.clients.rotate({ name: "leaky", kind: "api_key" });
    const user = await admin.users.create({ email: "someone@example.com", role: "viewer" });
    await setCredential(sql, { name: "portal-key", type: "api_key", secret: "portal-api-key-SECRET-1", owner: "portal" });
    await setCredential(sql, { name: "oauth", type: "oauth2_client_credentials", secret: "oauth-client-SECRET-2", config: { tokenUrl: "https://id.example.com/token", clientId: "flowport" } });
    await setConnection(sql, { name: "portal", baseUrl: "https://portal.example.com", credentialName: "portal-key" });
    const { record } = await insertRecord(sql, "Vendor", { Vendor_Name: "V", GST_No: "27ABCDE1234F1Z5" });

    const plaintexts = [
      ...client.credentials.map((c) => c.token),
      ...rotated.credentials.map((c) => c.token),
      client.signingSecret!,
      user.generatedPassword!,
      "portal-api-key-SECRET-1",
      "oauth-client-SECRET-2",
    ];
    const stored = [
      ...(await sql<{ v: string }[]>`select hash as v from api_credentials`),
      ...(await sql<{ v: string }[]>`select signing_secret_enc as v from api_clients where signing_secret_enc is not null`),
      ...(await sql<{ v: string }[]>`select secret_enc as v from credentials`),
      ...(await sql<{ v: string }[]>`select password as v from auth_account where password is not null`),
    ].map((r) => r.v);
    expect(stored.length).toBeGreaterThanOrEqual(7);

    const INPUTS: Record<string, unknown> = {
      "records.entities": undefined,
      "records.list": { entity: "Vendor" },
      "records.get": { entity: "Vendor", recordId: record.recordId },
      "records.sendTargets": { entity: "Vendor" },
      "records.deliveries": { ids: ["00000000-0000-4000-8000-000000000000"] },
      "clients.list": undefined,
      "clients.get": { name: "leaky" },
      "clients.scopeOptions": undefined,
      "connections.list": undefined,
      "connections.get": { name: "portal" },
      "connections.credentialNames": undefined,
      "connections.credentials": undefined,
      "connections.circuits": undefined,
      "connections.held": { name: "portal" },
      "users.list": undefined,
      "audit.list": {},
      "audit.actions": undefined,
      "statusRules.get": undefined,
    };
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const queries = Object.entries(procedures)
      .filter(([path, p]) => ROUTERS.includes(path.split(".")[0]!) && p._def.type === "query")
      .map(([path]) => path);
    expect(queries.filter((q) => !(q in INPUTS))).toEqual([]);

    for (const path of queries) {
      let target: unknown = admin;
      for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
      const answer = JSON.stringify(await (target as (input: unknown) => Promise<unknown>)(INPUTS[path]));
      for (const secret of [...plaintexts, ...stored]) expect(answer.includes(secret), `${path} leaks ${secret.slice(0, 6)}…`).toBe(false);
      // Nor the secret half of a key or token (everything after its public prefix).
      for (const token of [...client.credentials, ...rotated.credentials].map((c) => c.token)) expect(answer.includes(token.slice(13)), path).toBe(false);
    }
  });
});
