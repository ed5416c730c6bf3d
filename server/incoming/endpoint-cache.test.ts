/**
 * The cached endpoint and credential lookup (endpoint-cache.ts) is never less strict than reading
 * them on every call: each change below is made from another connection (as the CLI does from its
 * own process) right after calls that were answered from the cache, and the very next call obeys it.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STATUS_RULES } from "@/flows/format";
import { createClient, issueCredential, revokeCredential, rotateCredentials, updateClient } from "./clients";
import { systemActor } from "../audit/actor";
import { publishFlow } from "../flows/publish-flow";
import { exportFlow, saveDraft, setFlowActive } from "../flows/repository";
import { setDefaultStatusRules } from "../settings/status-rules";
import { useTestDatabase } from "../testing/database";
import { startIncomingTestServer, type IncomingTestServer } from "../testing/incoming-server";

const database = useTestDatabase();
let api: IncomingTestServer;
/** Another pool on the same database: what another process would use. */
let other: postgres.Sql;

beforeAll(async () => {
  api = await startIncomingTestServer(database());
  other = postgres(database().url, { max: 2, onnotice: () => undefined });
});
afterAll(async () => {
  await api?.close();
  await other?.end({ timeout: 5 });
});

let gstCounter = 500;
const vendor = () => ({
  vendorName: "Cache Test",
  gstNumber: `27ABCDE${String(gstCounter++).padStart(4, "0")}F1Z5`,
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "abc@xyz.com",
  city: "Mumbai",
});

const configVersion = async () => (await database().sql<{ version: string }[]>`select version::text from incoming_config_version`)[0]!.version;

/** Two calls with this key: the second is answered from the cache (the first filled it). */
async function warm(headers: Record<string, string>, slug = "vendor-master") {
  for (let i = 0; i < 2; i++) expect((await api.post(slug, vendor(), headers)).status).toBe(200);
}

describe("the cached incoming lookup", () => {
  it("refuses a key revoked from another connection on the very next call (401)", async () => {
    const { credentials } = await createClient(database().sql, { name: "revoked-now", flowScopes: ["vendor-master"], credentialKind: "api_key" });
    const headers = { "x-api-key": credentials[0]!.token };
    await warm(headers);
    await revokeCredential(other, credentials[0]!.prefix);
    const res = await api.post("vendor-master", vendor(), headers);
    expect(res.status).toBe(401);
    expect(res.json.message).toBe("Credential revoked");
  });

  it("answers a revoked key's call 401 even when its flow, run before the check came back, failed (400)", async () => {
    const { credentials } = await createClient(database().sql, { name: "revoked-bad-body", flowScopes: ["vendor-master"], credentialKind: "api_key" });
    const headers = { "x-api-key": credentials[0]!.token };
    await warm(headers);
    await revokeCredential(other, credentials[0]!.prefix);
    const res = await api.post("vendor-master", { ...vendor(), mobile: "12" }, headers);
    expect(res.status).toBe(401);
    expect(res.json.message).toBe("Credential revoked");
  });

  it("refuses a key that expired since it was cached, with no write to tell it (401)", async () => {
    const { credentials } = await createClient(database().sql, { name: "expires-soon", flowScopes: ["vendor-master"], credentialKind: "api_key" });
    await database().sql`update api_credentials set expires_at = now() + interval '1500 milliseconds' where prefix = ${credentials[0]!.prefix}`;
    const headers = { "x-api-key": credentials[0]!.token };
    await warm(headers);
    const before = await configVersion();
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const res = await api.post("vendor-master", vendor(), headers);
    expect(await configVersion()).toBe(before);
    expect(res.status).toBe(401);
    expect(res.json.message).toBe("Credential expired");
  });

  it("follows a client's scopes and allowlist changed elsewhere (403)", async () => {
    const { credentials } = await createClient(database().sql, { name: "rescoped", flowScopes: ["vendor-master"], credentialKind: "api_key" });
    const headers = { "x-api-key": credentials[0]!.token };
    await warm(headers);
    await updateClient(other, "rescoped", { flowScopes: ["lead-enquiry"] });
    expect((await api.post("vendor-master", vendor(), headers)).json.errorCode).toBe("FORBIDDEN_FLOW");
    await updateClient(other, "rescoped", { flowScopes: ["vendor-master"] });
    await warm(headers);
    await updateClient(other, "rescoped", { ipAllowlist: ["10.9.8.7"] });
    expect((await api.post("vendor-master", vendor(), headers)).json.errorCode).toBe("IP_NOT_ALLOWED");
  });

  it("runs a newly published version on the next call, and answers 404 once the flow is deactivated", async () => {
    const headers = { "x-api-key": api.apiKey };
    await warm(headers);
    const flow = await exportFlow(database().sql, "vendor-master");
    const map = flow.nodes.find((n) => n.id === "map")!;
    const expression = String((map.config as { expression: string }).expression).replace('"Vendor_Name": vendorName', '"Vendor_Name": "v2 " & vendorName');
    await saveDraft(other, { ...flow, nodes: flow.nodes.map((n) => (n.id === "map" ? { ...n, config: { ...n.config, expression } } : n)) });
    await publishFlow(other, { slug: "vendor-master" }, systemActor("test"));
    const res = await api.post("vendor-master", vendor(), headers);
    expect(res.status).toBe(200);
    const [record] = await database().sql<{ data: { Vendor_Name: string } }[]>`select data from records where record_id = ${res.json.recordId as string}`;
    expect(record!.data.Vendor_Name).toBe("v2 Cache Test");

    await warm(headers);
    await setFlowActive(other, "vendor-master", false);
    const gone = await api.post("vendor-master", vendor(), headers);
    await setFlowActive(other, "vendor-master", true);
    expect(gone.status).toBe(404);
    expect(gone.json.errorCode).toBe("ENDPOINT_NOT_FOUND");
  });

  it("answers with default status rules changed from another connection on the next call", async () => {
    const headers = { "x-api-key": api.apiKey };
    await warm(headers);
    await setDefaultStatusRules(other, { ...DEFAULT_STATUS_RULES, SUCCESS: { httpStatus: 201, message: "Vendor created" } });
    const res = await api.post("vendor-master", vendor(), headers);
    await setDefaultStatusRules(other, DEFAULT_STATUS_RULES);
    expect(res.status).toBe(201);
    expect(res.json.message).toBe("Vendor created");
  });

  it("keeps rotation's overlap: the old key works until it expires, the new one at once", async () => {
    const { credentials } = await createClient(database().sql, { name: "rotating", flowScopes: ["vendor-master"], credentialKind: "api_key" });
    const old = { "x-api-key": credentials[0]!.token };
    await warm(old);
    const rotated = await rotateCredentials(other, "rotating", { overlapHours: 1 });
    await warm(old);
    await warm({ "x-api-key": rotated.credentials[0]!.token });
    await issueCredential(other, "rotating", "api_key");
    expect((await api.post("vendor-master", vendor(), old)).status).toBe(200);
  });

  it("bumps the config version for what the lookup reads, and not for last_used_at (written once a minute per key)", async () => {
    const sql = database().sql;
    const before = await configVersion();
    await sql`update api_credentials set last_used_at = now()`;
    await sql`update api_clients set last_used_at = now()`;
    await sql`insert into app_meta (key, value) values ('worker.ping', '{}') on conflict (key) do update set value = excluded.value`;
    expect(await configVersion()).toBe(before);
    await sql`update api_clients set rate_limit_per_minute = null where name = 'rotating'`;
    expect(Number(await configVersion())).toBe(Number(before) + 1);
  });
});
