/**
 * Security of the incoming side over real HTTP (issue 8), beyond the credential cases of
 * inbound-auth.test.ts: guessing keys is rate limited per address, a runaway expression in a
 * flow is stopped with a clear logged error while the process keeps serving, and after a
 * complete scenario (keys, bearer tokens, signing secrets issued and used, failures included) no
 * secret is in any table, any log line or any answer.
 */
import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import type { FlowFile } from "@/flows/format";
import leadFlow from "@/flows/examples/lead-enquiry.flow.json";
import { resetEnvForTests } from "@/server/env";
import { systemActor } from "@/server/audit/actor";
import { publishFlow } from "@/server/flows/publish-flow";
import { saveDraft } from "@/server/flows/repository";
import { logOptions } from "@/server/log";
import { useTestDatabase } from "../testing/database";
import { callerAs } from "../trpc/testing/caller";
import { useIncomingTestServer } from "../testing/incoming-server";
import { AUTH_FAILURE_LIMIT, authFailureRetryAfter, noteAuthFailure } from "./auth-failures";
import { createClient, listClients, rotateCredentials } from "./clients";
import { openApiForPublishedFlows } from "./openapi";
import { webhookHeaders } from "./webhook-signature";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

// Every log line of this process, at debug level, with the app's own redaction.
const logLines: string[] = [];
(globalThis as typeof globalThis & Record<symbol, unknown>)[Symbol.for("flowport.logger")] = pino(
  logOptions("debug"),
  { write: (line: string) => void logLines.push(line) },
);

const database = useTestDatabase();
const api = useIncomingTestServer(database);

let gst = 0;
const vendor = () => ({ vendorName: "ABC Suppliers", gstNumber: `27SECUR${String(gst++).padStart(4, "0")}F1Z5`, mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" });

/** A POST from a chosen loopback address (127.0.0.x), so tests can be several callers. */
function postFrom(localAddress: string, slug: string, body: string, headers: Record<string, string>) {
  const { port } = new URL(api.url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, localAddress, method: "POST", path: `/api/v1/integration/incoming/${slug}`, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("guessing credentials", () => {
  it(`answers 429 to failing attempts after ${AUTH_FAILURE_LIMIT} invalid credentials from an address in a minute, yet a valid key from that address still proceeds`, async () => {
    const body = JSON.stringify(vendor());
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
      const guess: Record<string, string> = i % 2 === 0 ? { "x-api-key": `fpk_${randomBytes(4).toString("hex")}_${randomBytes(32).toString("base64url")}` } : { authorization: `Bearer fpt_${randomBytes(4).toString("hex")}_${randomBytes(32).toString("base64url")}` };
      expect((await postFrom("127.0.0.2", "vendor-master", body, guess)).status).toBe(401);
    }
    const blocked = await postFrom("127.0.0.2", "vendor-master", body, { "x-api-key": "fpk_guess" });
    expect(blocked.status).toBe(429);
    expect(JSON.parse(blocked.text)).toMatchObject({ status: "error", errorCode: "TOO_MANY_AUTH_FAILURES" });
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(blocked.headers["retry-after"])).toBeLessThanOrEqual(60);
    // Behind a load balancer every client shares the address: a valid key is never locked out (issue 15).
    expect((await postFrom("127.0.0.2", "vendor-master", JSON.stringify(vendor()), { "x-api-key": api.apiKey })).status).toBe(200);
    expect((await postFrom("127.0.0.2", "vendor-master", JSON.stringify(vendor()), { authorization: `Bearer ${api.bearerToken}` })).status).toBe(200);
    expect((await postFrom("127.0.0.3", "vendor-master", JSON.stringify(vendor()), { "x-api-key": api.apiKey })).status).toBe(200);
    // Another address's guesses are still answered 401.
    expect((await postFrom("127.0.0.3", "vendor-master", body, { "x-api-key": "fpk_guess" })).status).toBe(401);
    // Missing credentials are a mistake, not a guess: never 429.
    for (let i = 0; i < AUTH_FAILURE_LIMIT + 5; i++) expect((await postFrom("127.0.0.4", "vendor-master", body, {})).status).toBe(401);
    // Each refusal is logged.
    const [{ n }] = (await database().sql`select count(*)::int as n from executions where error_code = 'TOO_MANY_AUTH_FAILURES'`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it("counts guesses at one key's prefix from many addresses, without locking that key's holder out", async () => {
    const prefix = api.apiKey.slice(0, 12); // fpk_<8 characters>, public: it appears in logs
    const body = JSON.stringify(vendor());
    const wrongSecret = () => `${prefix}_${randomBytes(32).toString("base64url")}`;
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
      expect((await postFrom(`127.0.1.${i + 1}`, "vendor-master", body, { "x-api-key": wrongSecret() })).status).toBe(401);
    }
    const fresh = "127.0.2.1";
    const blocked = await postFrom(fresh, "vendor-master", body, { "x-api-key": wrongSecret() });
    expect(blocked.status).toBe(429);
    expect(JSON.parse(blocked.text)).toMatchObject({ errorCode: "TOO_MANY_AUTH_FAILURES" });
    // A guess at another prefix from that fresh address is an ordinary 401.
    expect((await postFrom(fresh, "vendor-master", body, { "x-api-key": `fpk_zzzzzzzz_${randomBytes(32).toString("base64url")}` })).status).toBe(401);
    expect((await postFrom(fresh, "vendor-master", JSON.stringify(vendor()), { "x-api-key": api.apiKey })).status).toBe(200);
  });

  it("counts the client a trusted proxy names (FLOWPORT_TRUSTED_PROXIES), not the proxy, and checks allowlists against it", async () => {
    vi.stubEnv("FLOWPORT_TRUSTED_PROXIES", "127.0.0.9");
    resetEnvForTests();
    try {
      const body = JSON.stringify(vendor());
      const via = (client: string, headers: Record<string, string>) => postFrom("127.0.0.9", "vendor-master", body, { "x-forwarded-for": `6.6.6.6, ${client}`, ...headers });
      const guess = () => ({ "x-api-key": `fpk_${randomBytes(4).toString("hex")}_${randomBytes(32).toString("base64url")}` });
      for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) expect((await via("203.0.113.1", guess())).status).toBe(401);
      expect((await via("203.0.113.1", guess())).status).toBe(429);
      // Another client behind the same proxy is its own address.
      expect((await via("203.0.113.2", guess())).status).toBe(401);
      const { credentials } = await createClient(database().sql, { name: "behind-proxy", flowScopes: ["*"], credentialKind: "api_key", ipAllowlist: ["203.0.113.7"] });
      const key = credentials[0]!.token;
      expect((await postFrom("127.0.0.9", "vendor-master", JSON.stringify(vendor()), { "x-forwarded-for": "203.0.113.7", "x-api-key": key })).status).toBe(200);
      expect((await postFrom("127.0.0.9", "vendor-master", JSON.stringify(vendor()), { "x-forwarded-for": "203.0.113.8", "x-api-key": key })).status).toBe(403);
      // From an untrusted peer the header is ignored: the peer itself is not allowlisted.
      expect((await postFrom("127.0.0.8", "vendor-master", JSON.stringify(vendor()), { "x-forwarded-for": "203.0.113.7", "x-api-key": key })).status).toBe(403);
    } finally {
      vi.stubEnv("FLOWPORT_TRUSTED_PROXIES", "");
      resetEnvForTests();
    }
  });

  it("forgets failures when their minute is over, per address and per prefix", () => {
    const start = 1_000_000;
    const subject = { address: "198.51.100.7", prefixes: ["fpk_AAAAAAAA"] };
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) noteAuthFailure(subject, start + i);
    expect(authFailureRetryAfter(subject, start + 1_000)).toBe(59);
    expect(authFailureRetryAfter({ address: "198.51.100.8", prefixes: ["fpk_AAAAAAAA"] }, start + 1_000)).toBe(59);
    expect(authFailureRetryAfter({ address: "198.51.100.7" }, start + 1_000)).toBe(59);
    expect(authFailureRetryAfter({ address: "198.51.100.8", prefixes: ["fpk_BBBBBBBB"] }, start + 1_000)).toBeUndefined();
    expect(authFailureRetryAfter(subject, start + 60_000)).toBeUndefined();
    noteAuthFailure(subject, start + 60_001);
    expect(authFailureRetryAfter(subject, start + 60_002)).toBeUndefined();
  });
});

describe("a runaway expression in a flow", () => {
  it("is stopped by the time box with a clear logged error, and the process keeps serving", async () => {
    const { sql } = database();
    for (const [slug, expression] of [
      ["runaway-loop", "($f := function($x){$f($x)}; $f(1))"],
      ["runaway-depth", "($f := function($x){1 + $f($x)}; $f(1))"],
    ] as const) {
      const flow = structuredClone(leadFlow) as unknown as FlowFile;
      flow.slug = slug;
      flow.name = slug;
      (flow.nodes.find((n) => n.type === "trigger.http")!.config as Record<string, unknown>).slug = slug;
      (flow.nodes.find((n) => n.type === "map")!.config as Record<string, unknown>).expression = expression;
      await saveDraft(sql, flow);
      await publishFlow(sql, { slug }, systemActor("test"));

      const started = Date.now();
      const res = await api.post(slug, { name: "Asha", phone: "9876543210", email: "asha@example.com" });
      const ms = Date.now() - started;
      expect(ms).toBeLessThan(3_000);
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ status: "error", requestId: expect.any(String) });
      expect(JSON.stringify(res.json)).not.toMatch(/\$f|function|jsonata/);
      const [log] = await sql<{ error_code: string; error_message: string }[]>`select error_code, error_message from executions where request_id = ${String(res.json.requestId)}`;
      expect(log).toMatchObject({ error_code: "EXPRESSION_TIMEOUT" });
      expect(log!.error_message).toMatch(/timed out after \d+ ms|maximum depth/);
      // Business as usual right after.
      expect((await api.post("vendor-master", vendor())).status).toBe(200);
    }
  });
});

describe("redaction by name (issue 15)", () => {
  it("stores no secret-named header or body field, nor a flow's redactFields, in the log row, its trace or a viewer's log detail; the record keeps its business data", async () => {
    const { sql } = database();
    const flow = structuredClone(leadFlow) as unknown as FlowFile;
    flow.slug = "lead-redacted";
    flow.name = "lead-redacted";
    flow.options = { ...flow.options, logPayloads: true, redactFields: ["aadhaar_no"] };
    (flow.nodes.find((n) => n.type === "trigger.http")!.config as Record<string, unknown>).slug = flow.slug;
    // The map hands the secrets on to a second map that keeps the Lead's fields: the first one's
    // logged output carries them, so they must leave the trace too, not only the request.
    const mapNode = flow.nodes.find((n) => n.type === "map")!;
    (mapNode.config as Record<string, unknown>).expression = '{"Lead_Name": name, "Mobile": phone, "Email": email, "Aadhaar_No": Aadhaar_No, "portal": portal}';
    flow.nodes.push({ ...structuredClone(mapNode), id: "keep-lead", name: "Keep the lead", config: { expression: '{"Lead_Name": Lead_Name, "Mobile": Mobile, "Email": Email}' } });
    flow.edges = flow.edges.map((e) => (e.source === mapNode.id ? { ...e, source: "keep-lead" } : e));
    flow.edges.push({ source: mapNode.id, target: "keep-lead" });
    await saveDraft(sql, flow);
    await publishFlow(sql, { slug: flow.slug }, systemActor("test"));

    const secrets = { authToken: `tok-${randomUUID()}`, apiKey: `ak-${randomUUID()}`, access: `acc-${randomUUID()}`, password: `pw-${randomUUID()}`, nested: `sec-${randomUUID()}`, aadhaar: "9876 5432 1098" };
    const res = await api.post(
      flow.slug,
      { name: "Asha", phone: "9876543210", email: "asha@example.com", Aadhaar_No: secrets.aadhaar, GST_No: "27AAAAA0000A1Z5", author: "kept", portal: { login: "asha", password: secrets.password, items: [{ client_secret: secrets.nested }] } },
      { "X-Auth-Token": secrets.authToken, "Api-Key": secrets.apiKey, "X-Access-Token": secrets.access, "Idempotency-Key": "support-needs-this-1" },
    );
    expect(res.status).toBe(200);
    const [row] = await sql<{ id: string; request: unknown; response: unknown; trace: unknown }[]>`
      select id, request, response, trace from executions where request_id = ${String(res.json.requestId)}`;
    const stored = JSON.stringify(row);
    for (const value of Object.values(secrets)) expect(stored).not.toContain(value);
    expect(stored).not.toContain(api.apiKey);
    const request = row!.request as { headers: Record<string, string>; body: Record<string, unknown> };
    expect(request.headers).toMatchObject({ "x-auth-token": "[redacted]", "api-key": "[redacted]", "x-access-token": "[redacted]", "idempotency-key": "support-needs-this-1" });
    // Our own key keeps its public prefix: the log still says who called.
    expect(request.headers["x-api-key"]).toBe(`${api.apiKey.slice(0, 12)}_[redacted]`);
    expect(request.body).toMatchObject({ Aadhaar_No: "[redacted]", GST_No: "27AAAAA0000A1Z5", author: "kept", portal: { login: "asha", password: "[redacted]", items: [{ client_secret: "[redacted]" }] } });
    // The trace too: the map's output carries the same fields.
    expect(JSON.stringify(row!.trace)).toContain('"Aadhaar_No":"[redacted]"');
    expect(JSON.stringify(row!.trace)).toContain('"password":"[redacted]"');

    // A viewer reads the same redacted detail.
    const detail = await callerAs(sql, "viewer").logs.get({ id: row!.id });
    expect(JSON.stringify(detail)).toContain("[redacted]");
    for (const value of Object.values(secrets)) expect(JSON.stringify(detail)).not.toContain(value);

    // The record is business data, never redacted (the entity contract refuses fields it does not declare).
    const [record] = await sql<{ data: Record<string, unknown> }[]>`select data from records where record_id = ${String(res.json.recordId)}`;
    expect(record!.data).toMatchObject({ Lead_Name: "Asha", Mobile: "9876543210", Email: "asha@example.com" });
  });
});

describe("secrets after a complete incoming scenario", () => {
  it("are in no table, no log line and no answer", async () => {
    const { sql } = database();
    const answers: string[] = [];
    const keep = async (res: Response) => {
      const text = await res.text();
      answers.push(JSON.stringify([...res.headers.entries()]), text);
      return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
    };
    const post = (slug: string, body: string, headers: Record<string, string>) =>
      fetch(`${api.url}/${slug}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }).then(keep);

    const issued = await createClient(sql, { name: "erp-partner", flowScopes: ["vendor-master", "attendance-import"], credentialKind: "both", requireSignature: true });
    const key = issued.credentials.find((c) => c.kind === "api_key")!.token;
    const bearer = issued.credentials.find((c) => c.kind === "bearer")!.token;
    const signingSecret = issued.signingSecret!;
    const rotated = await rotateCredentials(sql, "erp-partner", { overlapHours: 1 });
    const newKey = rotated.credentials.find((c) => c.kind === "api_key")!.token;

    const signed = (body: string, id = `msg_${randomUUID()}`) => webhookHeaders(signingSecret, id, body);
    const body = JSON.stringify(vendor());
    expect((await post("vendor-master", body, { "x-api-key": key, ...signed(body) })).status).toBe(200);
    const body2 = JSON.stringify(vendor());
    expect((await post("vendor-master", body2, { authorization: `Bearer ${bearer}`, ...signed(body2) })).status).toBe(200);
    const body3 = JSON.stringify(vendor());
    expect((await post("vendor-master", body3, { "x-api-key": newKey, ...signed(body3, "msg_replay") })).status).toBe(200);
    // Failures carry the secrets too: a replay, a tampered body, no signature, a wrong key, a revoked-looking key.
    expect((await post("vendor-master", body3, { "x-api-key": newKey, ...signed(body3, "msg_replay") })).status).toBe(401);
    expect((await post("vendor-master", JSON.stringify(vendor()), { "x-api-key": newKey, ...signed(body3) })).status).toBe(401);
    expect((await post("vendor-master", body3, { "x-api-key": newKey })).status).toBe(401);
    expect((await post("vendor-master", body3, { "x-api-key": `${key}x`, ...signed(body3) })).status).toBe(401);
    expect((await post("lead-enquiry", body3, { "x-api-key": key, ...signed(body3) })).status).toBe(403);
    const batch = JSON.stringify({ deviceId: "D", punches: [{ employeeCode: "E1001", punchTime: "2025-12-20T09:00:00+05:30", direction: "in" }] });
    expect((await post("attendance-import", batch, { "x-api-key": key, ...signed(batch) })).status).toBe(200);
    // What an admin sees of the client, and what the API documentation shows.
    answers.push(JSON.stringify(await listClients(sql)));
    answers.push(JSON.stringify(await openApiForPublishedFlows(sql, api.url)));

    const forbidden = [key, bearer, newKey, signingSecret, signingSecret.slice("whsec_".length), key.slice(13), bearer.slice(13), newKey.slice(13)];

    // Every row of every table, as text.
    const tables = await sql<{ schema: string; name: string }[]>`
      select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'graphile_worker') and c.relkind in ('r', 'p') order by 1, 2`;
    let dump = "";
    for (const { schema, name } of tables) {
      const rows = await sql<{ row: string }[]>`select row_to_json(t)::text as row from ${sql(schema)}.${sql(name)} t`;
      dump += `${rows.map((r) => r.row).join("\n")}\n`;
    }
    // The dump holds the scenario (prefixes to find the keys, the logged calls), not the secrets.
    expect(dump).toContain(key.split("_").slice(0, 2).join("_"));
    expect(dump).toContain("msg_replay");
    const logs = logLines.join("");
    const seen = answers.join("\n");
    for (const secret of forbidden) {
      if (dump.includes(secret)) console.log(dump.slice(Math.max(0, dump.indexOf(secret) - 300), dump.indexOf(secret) + 100));
      expect(dump.includes(secret), `table dump holds ${secret.slice(0, 8)}…`).toBe(false);
      expect(logs.includes(secret), `logs hold ${secret.slice(0, 8)}…`).toBe(false);
      expect(seen.includes(secret), `an answer holds ${secret.slice(0, 8)}…`).toBe(false);
    }
  });
});
