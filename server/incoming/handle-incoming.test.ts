/** The incoming endpoints over real HTTP, against a real database: every code and shape of the seed's §2–§3. */
import { describe, expect, it } from "vitest";
import { createClient, revokeClient, revokeCredential } from "./clients";
import { webhookHeaders } from "./webhook-signature";
import { setFlowActive } from "../flows/repository";
import { getExecution, listExecutions } from "../logs/query";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

let gstCounter = 100;
/** A valid, unused GSTIN-format number. */
const freshGstin = () => `27ABCDE${String(gstCounter++).padStart(4, "0")}F1Z5`;
const vendor = (gstNumber = freshGstin()) => ({
  vendorName: "ABC Suppliers",
  gstNumber,
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "abc@xyz.com",
  city: "Mumbai",
});

const logsFor = async (requestId: string) => {
  const { sql } = database();
  return sql<{ status: string; http_status: number; error_code: string | null; record_id: string | null; request: { headers: Record<string, string> } }[]>`
    select status, http_status, error_code, record_id, request from executions where request_id = ${requestId}`;
};

describe("POST /api/v1/integration/incoming/{slug}", () => {
  it("saves the seed's sample (200, VEND- id) and answers the same GSTIN again with 409 DUPLICATE", async () => {
    const body = vendor();
    const first = await api.post("vendor-master", body);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ status: "success", message: "Record saved successfully" });
    expect(first.json.recordId).toMatch(/^VEND-\d+$/);
    expect(first.headers.get("x-request-id")).toBe(first.json.requestId);

    const { sql } = database();
    const [record] = await sql`select data from records where record_id = ${first.json.recordId as string}`;
    expect(record!.data).toMatchObject({ Vendor_Name: "ABC Suppliers", GST_No: body.gstNumber, Phone_No: "9876543210", City: "Mumbai" });
    const [log] = await logsFor(first.json.requestId as string);
    expect(log).toMatchObject({ status: "SUCCESS", http_status: 200, record_id: first.json.recordId });
    expect(JSON.stringify(log!.request.headers)).not.toContain(api.apiKey.slice(14)); // the key's secret part is redacted

    const again = await api.post("vendor-master", { ...body, vendorName: "Someone else" });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ status: "error", errorCode: "DUPLICATE_RECORD" });
    expect((await logsFor(again.json.requestId as string))[0]).toMatchObject({ status: "DUPLICATE", http_status: 409 });
  });

  it("rejects invalid data with 400, the first error's code and message, and every field error", async () => {
    const res = await api.post("vendor-master", { ...vendor("27ABCDE12"), mobile: "12345", email: "not-an-email", city: "Atlantis" });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: "error", errorCode: "INVALID_GST", message: "GST number is invalid" });
    const codes = (res.json.errors as Array<{ code: string }>).map((e) => e.code);
    expect(codes).toEqual(["INVALID_GST", "INVALID_MOBILE", "INVALID_EMAIL", "CITY_NOT_FOUND"]);
    const { sql } = database();
    expect(await sql`select 1 from records where data->>'GST_No' = '27ABCDE12'`).toHaveLength(0);
    expect((await logsFor(res.json.requestId as string))[0]).toMatchObject({ status: "FAILED", http_status: 400, error_code: "INVALID_GST" });
  });

  it("routes the seed's bare endpoint by x-integration-code, and answers unknown or inactive flows with 404", async () => {
    const bare = await api.post("", vendor(), { "x-integration-code": "vendor-master" });
    expect(bare.status).toBe(200);

    const unknown = await api.post("no-such-flow", vendor());
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ status: "error", errorCode: "ENDPOINT_NOT_FOUND", message: "Mapping or endpoint not found" });
    expect((await api.post("", vendor())).status).toBe(404); // bare path without the header
    expect((await logsFor(unknown.json.requestId as string))[0]).toMatchObject({ http_status: 404, error_code: "ENDPOINT_NOT_FOUND" });

    await setFlowActive(database().sql, "lead-enquiry", false);
    const inactive = await api.post("lead-enquiry", { name: "x" });
    expect(inactive.status).toBe(404);
    await setFlowActive(database().sql, "lead-enquiry", true);
  });

  it("refuses a non-JSON content type (415), malformed JSON and bad UTF-8 (400), and a body over 1 MiB (413)", async () => {
    expect((await api.post("vendor-master", "vendorName=x", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    const malformed = await api.post("vendor-master", '{"vendorName": "ABC"');
    expect(malformed.status).toBe(400);
    expect(malformed.json.errorCode).toBe("INVALID_JSON");

    const badUtf8 = await fetch(`${api.url}/vendor-master`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": api.apiKey },
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(badUtf8.status).toBe(400);

    const started = Date.now();
    const huge = await fetch(`${api.url}/vendor-master`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": api.apiKey },
      body: JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { errorCode: string }).errorCode).toBe("PAYLOAD_TOO_LARGE");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("answers missing or bad credentials with 401 and WWW-Authenticate, accepts a bearer token, and refuses a client outside its scope with 403", async () => {
    const missing = await api.post("vendor-master", vendor(), { "x-api-key": "" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/Bearer/);
    expect(missing.json).toMatchObject({ status: "error", errorCode: "AUTH_FAILED" });
    expect((await api.post("vendor-master", vendor(), { "x-api-key": `${api.apiKey}x` })).status).toBe(401);
    expect((await api.post("vendor-master", vendor(), { "x-api-key": "", authorization: "Bearer nope" })).status).toBe(401);

    const bearer = await api.post("vendor-master", vendor(), { "x-api-key": "", authorization: `Bearer ${api.bearerToken}` });
    expect(bearer.status).toBe(200);

    const { credentials } = await createClient(database().sql, { name: "leads-only", flowScopes: ["lead-enquiry"], credentialKind: "api_key" });
    const forbidden = await api.post("vendor-master", vendor(), { "x-api-key": credentials[0]!.token });
    expect(forbidden.status).toBe(403);
    expect((await logsFor(forbidden.json.requestId as string))[0]!.http_status).toBe(403);
  });

  it("reads credentials fresh on every call: a revoked key or disabled client fails on the very next request", async () => {
    const { sql } = database();
    const { credentials } = await createClient(sql, { name: "revoke-me", flowScopes: ["vendor-master"], credentialKind: "both" });
    const key = credentials.find((c) => c.kind === "api_key")!;
    const token = credentials.find((c) => c.kind === "bearer")!;
    // Both presented: the endpoint lookup reads both rows in one statement; the x-api-key wins.
    const both = { "x-api-key": key.token, authorization: `Bearer ${token.token}` };
    expect((await api.post("vendor-master", vendor(), both)).status).toBe(200);

    await revokeCredential(sql, key.prefix);
    const revoked = await api.post("vendor-master", vendor(), both);
    expect(revoked.status).toBe(401);
    expect(revoked.json.message).toBe("Credential revoked");
    expect((await api.post("vendor-master", vendor(), { "x-api-key": "", authorization: `Bearer ${token.token}` })).status).toBe(200);

    await revokeClient(sql, "revoke-me");
    expect((await api.post("vendor-master", vendor(), { "x-api-key": "", authorization: `Bearer ${token.token}` })).status).toBe(401);
  });

  it("echoes the caller's x-request-id, and the logged trace names the calling client", async () => {
    const res = await api.post("vendor-master", vendor(), { "x-request-id": "erp-trace-42" });
    expect(res.json.requestId).toBe("erp-trace-42");
    expect(res.headers.get("x-request-id")).toBe("erp-trace-42");
    const [log] = await database().sql<{ trace: { nodeId: string; note?: string }[] }[]>`
      select trace from executions where request_id = 'erp-trace-42'`;
    expect(log!.trace.find((t) => t.nodeId === "auth")?.note).toBe("client test-client");
  });

  it("logs a lean trace (no node names, the body once) that the log detail reads back whole", async () => {
    const { sql } = database();
    const body = vendor();
    const res = await api.post("vendor-master", body);
    const id = res.json.requestId as string;
    const [row] = await sql<{ request: { body: unknown }; trace: Record<string, unknown>[] }[]>`select request, trace from executions where id = ${id}`;
    expect(row!.trace[0]).toMatchObject({ nodeId: "trigger", inputFrom: "request", outputIsInput: true });
    for (const entry of row!.trace) {
      expect(entry).not.toHaveProperty("name");
      expect(entry).not.toHaveProperty("type");
    }
    expect(JSON.stringify(row!.trace)).not.toContain("vendorName"); // the body is in request.body only

    const detail = await getExecution(sql, id);
    const flow = await sql<{ definition: { nodes: { id: string; type: string; name: string }[] } }[]>`
      select v.definition from flow_versions v join flows f on f.id = v.flow_id and v.version = f.published_version where f.slug = 'vendor-master'`;
    const nodes = new Map(flow[0]!.definition.nodes.map((n) => [n.id, n]));
    expect(detail!.trace.length).toBe(row!.trace.length);
    for (const entry of detail!.trace) expect({ type: entry.type, name: entry.name }).toEqual({ type: nodes.get(entry.nodeId)!.type, name: nodes.get(entry.nodeId)!.name });
    expect(detail!.trace[0]).toMatchObject({ nodeId: "trigger", input: body, output: body });
    expect(detail!.trace[1]).toMatchObject({ nodeId: "auth", input: body, output: body });
  });

  it("logs a call under the request id it generated as the execution id, a caller's own id under a fresh one; the log search finds both", async () => {
    const { sql } = database();
    const generated = await api.post("vendor-master", vendor());
    const refused = await api.post("vendor-master", { ...vendor(), mobile: "12" }); // 400, logged after its rollback
    const own = "3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c"; // a caller's uuid: it may repeat, so it is not an execution id
    const echoed = await api.post("vendor-master", vendor(), { "x-request-id": own });
    const unknown = await api.post("no-such-flow", vendor()); // answered before any flow runs
    for (const res of [generated, refused, unknown]) {
      const requestId = res.json.requestId as string;
      const [log] = await sql<{ id: string }[]>`select id from executions where request_id = ${requestId}`;
      expect(log!.id).toBe(requestId);
    }
    const [ownLog] = await sql<{ id: string }[]>`select id from executions where request_id = ${own}`;
    expect(echoed.json.requestId).toBe(own);
    expect(ownLog!.id).not.toBe(own);

    for (const [res, direction] of [[generated, "incoming"], [refused, "incoming"], [echoed, "incoming"], [unknown, "incoming"]] as const) {
      const found = await listExecutions(sql, { direction, search: res.json.requestId as string });
      expect(found.items.map((e) => e.requestId)).toEqual([res.json.requestId]);
    }
    // An execution id alone is not a request id: a call logged under the caller's id is not found by its execution id.
    expect((await listExecutions(sql, { direction: "incoming", search: ownLog!.id })).items).toEqual([]);
  });

  it("lets exactly one of 50 concurrent calls with one GSTIN create the vendor (49 × 409)", async () => {
    const body = vendor();
    const results = await Promise.all(Array.from({ length: 50 }, () => api.post("vendor-master", body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const { sql } = database();
    expect(await sql`select 1 from records where data->>'GST_No' = ${body.gstNumber}`).toHaveLength(1);
    // Every answer has its log row.
    const logged = await sql`select http_status from executions where request_id = any(${results.map((r) => r.json.requestId as string)})`;
    expect(logged.map((l) => l.http_status).sort()).toEqual(statuses);
  });

  it("commits each of 40 concurrent calls' record with its log row, calls arriving together sharing transactions (call-group.ts)", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => api.post("vendor-master", vendor())));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const { sql } = database();
    const rows = await sql<{ record_id: string; record_tx: string; log_tx: string | null }[]>`
      select r.record_id, r.xmin::text as record_tx, e.xmin::text as log_tx
      from records r left join executions e on e.record_id = r.record_id and e.direction = 'incoming'
      where r.record_id = any(${results.map((r) => r.json.recordId as string)})`;
    expect(rows).toHaveLength(40);
    for (const row of rows) expect(row.log_tx).toBe(row.record_tx);
    // Grouped: fewer transactions than calls (one per call with FLOWPORT_UNIT_OF_WORK_OFF=grouping).
    const transactions = new Set(rows.map((r) => r.record_tx)).size;
    console.log(`40 concurrent calls committed in ${transactions} transactions`);
    expect(transactions).toBeLessThan(40);
  });

  it("never loses or rolls back a call's record for another call of its group that failed (400 validation, 409 duplicate)", async () => {
    const twin = vendor();
    await api.post("vendor-master", twin);
    const bodies = Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? { ...vendor("27ABCDE12"), city: "Atlantis" } : i % 3 === 2 ? { ...twin, vendorName: "Twin" } : vendor()));
    const results = await Promise.all(bodies.map((b) => api.post("vendor-master", b)));
    expect(results.map((r) => r.status)).toEqual(bodies.map((_, i) => [200, 400, 409][i % 3]));
    const { sql } = database();
    const saved = results.filter((r) => r.status === 200).map((r) => r.json.recordId as string);
    const rows = await sql<{ record_tx: string; log_tx: string | null }[]>`
      select r.xmin::text as record_tx, e.xmin::text as log_tx
      from records r left join executions e on e.record_id = r.record_id and e.direction = 'incoming'
      where r.record_id = any(${saved})`;
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.log_tx).toBe(row.record_tx);
    const logged = await sql`select http_status from executions where request_id = any(${results.map((r) => r.json.requestId as string)})`;
    expect(logged.map((l) => l.http_status).sort()).toEqual(results.map((r) => r.status).sort());
  });

  it("replays an Idempotency-Key's first answer without writing again, and refuses the key with another body (422)", async () => {
    const body = vendor();
    const key = `idem-${Date.now()}`;
    const first = await api.post("vendor-master", body, { "idempotency-key": key });
    expect(first.status).toBe(200);
    const replay = await api.post("vendor-master", body, { "idempotency-key": key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json.recordId).toBe(first.json.recordId);
    const { sql } = database();
    expect(await sql`select 1 from records where data->>'GST_No' = ${body.gstNumber}`).toHaveLength(1);

    const other = await api.post("vendor-master", vendor(), { "idempotency-key": key });
    expect(other.status).toBe(422);
    expect(other.json.errorCode).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("remembers each answer of concurrent Idempotency-Key calls in the commit of its log row, and replays each", async () => {
    const calls = Array.from({ length: 12 }, (_, i) => ({ body: vendor(), key: `idem-together-${Date.now()}-${i}` }));
    const first = await Promise.all(calls.map((c) => api.post("vendor-master", c.body, { "idempotency-key": c.key })));
    expect(first.map((r) => r.status)).toEqual(Array(12).fill(200));
    const { sql } = database();
    const rows = await sql<{ key: string; state: string; key_tx: string; log_tx: string; record_tx: string }[]>`
      select k.key, k.state, k.xmin::text as key_tx, e.xmin::text as log_tx, r.xmin::text as record_tx
      from idempotency_keys k
      join executions e on e.record_id = k.response->>'recordId' and e.direction = 'incoming'
      join records r on r.record_id = e.record_id
      where k.key = any(${calls.map((c) => c.key)})`;
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row).toMatchObject({ state: "done", log_tx: row.key_tx, record_tx: row.key_tx });
    console.log(`12 concurrent Idempotency-Key calls committed in ${new Set(rows.map((r) => r.key_tx)).size} transactions`);

    const again = await Promise.all(calls.map((c) => api.post("vendor-master", c.body, { "idempotency-key": c.key })));
    expect(again.map((r) => r.headers.get("idempotent-replayed"))).toEqual(Array(12).fill("true"));
    expect(again.map((r) => r.json.recordId)).toEqual(first.map((r) => r.json.recordId));
    expect(await sql`select 1 from records where data->>'GST_No' = any(${calls.map((c) => c.body.gstNumber)})`).toHaveLength(12);
  });

  it("logs every call: an acknowledged request always has its record and its log row", async () => {
    const { sql } = database();
    const rows = await sql<{ record_id: string; logged: boolean }[]>`
      select r.record_id, exists (select 1 from executions e where e.record_id = r.record_id and e.status = 'SUCCESS') as logged
      from records r where r.entity = 'Vendor' and r.origin->>'kind' = 'flow'`;
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every((r) => r.logged)).toBe(true);
  });
});

describe("batch mode, rate limits and signatures over HTTP", () => {
  it("answers a batch per item, saving each good one (207 when some fail), and logs one row for the call", async () => {
    const punches = (codes: string[], day: string) => ({
      deviceId: "BIO-GATE-9",
      punches: codes.map((employeeCode, i) => ({ employeeCode, punchTime: `${day}T09:0${i}:00+05:30`, direction: "in" })),
    });
    const ok = await api.post("attendance-import", punches(["E1001", "E1002"], "2025-12-20"));
    expect(ok.status).toBe(200);
    const results = ok.json.results as Array<{ index: number; status: string; recordId?: string }>;
    expect(results.map((r) => r.status)).toEqual(["success", "success"]);
    expect(results.every((r) => /^ATT-\d+$/.test(r.recordId ?? ""))).toBe(true);

    const mixed = await api.post("attendance-import", {
      deviceId: "BIO-GATE-9",
      punches: [
        { employeeCode: "E1001", punchTime: "2025-12-21T09:00:00+05:30", direction: "in" },
        { employeeCode: "E1002", punchTime: "21/12/2025 09:01", direction: "in" },
      ],
    });
    expect(mixed.status).toBe(207);
    const mixedResults = mixed.json.results as Array<{ status: string; errorCode?: string; recordId?: string }>;
    expect(mixedResults[0]!.status).toBe("success");
    expect(mixedResults[1]).toMatchObject({ status: "error", errorCode: "INVALID_PUNCH_TIME" });
    const { sql } = database();
    expect(await sql`select 1 from records where record_id = ${mixedResults[0]!.recordId!}`).toHaveLength(1);
    expect(await logsFor(mixed.json.requestId as string)).toHaveLength(1);

    const notABatch = await api.post("attendance-import", { deviceId: "X", employeeCode: "E1001" });
    expect(notABatch.status).toBe(400);
  });

  it("rate-limits a client with 429 and Retry-After", async () => {
    const { credentials } = await createClient(database().sql, {
      name: "slow-client",
      flowScopes: ["vendor-master"],
      credentialKind: "api_key",
      rateLimitPerMinute: 2,
    });
    const key = credentials[0]!.token;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api.post("vendor-master", vendor(), { "x-api-key": key })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await api.post("vendor-master", vendor(), { "x-api-key": key });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.json.errorCode).toBe("RATE_LIMITED");
  });

  it("accepts a Standard Webhooks signature instead of a key, and refuses a replayed or tampered one", async () => {
    const { signingSecret } = await createClient(database().sql, {
      name: "gate-device",
      flowScopes: ["attendance-import"],
      credentialKind: "api_key",
      withSigningSecret: true,
    });
    const body = JSON.stringify({ deviceId: "BIO-GATE-7", punches: [{ employeeCode: "E1001", punchTime: "2025-12-22T09:00:00+05:30", direction: "in" }] });
    const headers = { ...webhookHeaders(signingSecret!, `msg_${Date.now()}`, body), "x-api-key": "" };
    const signed = await api.post("attendance-import", body, headers);
    expect(signed.status).toBe(200);
    expect((await api.post("attendance-import", body, headers)).status).toBe(401); // the same webhook-id again
    const tampered = { ...webhookHeaders(signingSecret!, `msg_${Date.now()}_2`, body), "x-api-key": "" };
    expect((await api.post("attendance-import", body.replace("E1001", "E1002"), tampered)).status).toBe(401);
  });
});
