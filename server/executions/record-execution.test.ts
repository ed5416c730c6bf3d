import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { capLoggedBody, MAX_LOGGED_BODY_BYTES, recordExecution } from "./record-execution";

const database = useTestDatabase();

describe("capLoggedBody", () => {
  it("cuts an outgoing body over the cap to a flagged preview and leaves small or already measured ones alone", () => {
    const big = { status: 200, body: { data: "x".repeat(MAX_LOGGED_BODY_BYTES + 10) } };
    const capped = capLoggedBody(big) as { body: { truncated: boolean; size: number; preview: string }; bodyTruncated: boolean; status: number };
    expect(capped.status).toBe(200);
    expect(capped.bodyTruncated).toBe(true);
    expect(capped.body.truncated).toBe(true);
    expect(capped.body.preview.length).toBe(MAX_LOGGED_BODY_BYTES);
    const small = { status: 200, body: { ok: true } };
    expect(capLoggedBody(small)).toBe(small);
    const measured = { body: "y".repeat(MAX_LOGGED_BODY_BYTES + 1), bodyTruncated: false };
    expect(capLoggedBody(measured)).toBe(measured);
    expect(capLoggedBody(undefined)).toBeUndefined();
  });
});

describe("recordExecution", () => {
  it("keeps the row when a message or an answer quotes NUL or a lone surrogate, replacing them with U+FFFD", async () => {
    const { sql } = database();
    // Seen in CI: a generated call whose error message quoted a NUL lost its log row.
    const id = await recordExecution(sql, {
      startedAt: new Date(),
      direction: "incoming",
      flowSlug: "nul\u0000slug",
      status: "FAILED",
      httpStatus: 404,
      errorCode: "NOT_FOUND",
      errorMessage: "No endpoint \u0000 here \ud800 or \udc00 but 😀 is fine",
      durationMs: 1,
      request: { body: { "k\u0000": "a\u0000b", lone: "x\ud83d", pair: "😀", quoted: "\\u0000 stays text" } },
      response: { status: 404, body: ["\udfff"] },
    });
    const [row] = await sql<{ flow_slug: string; error_message: string; request: unknown; response: unknown }[]>`
      select flow_slug, error_message, request, response from executions where id = ${id}`;
    expect(row!.flow_slug).toBe("nul\ufffdslug");
    expect(row!.error_message).toBe("No endpoint \ufffd here \ufffd or \ufffd but 😀 is fine");
    expect(row!.request).toEqual({ body: { "k\ufffd": "a\ufffdb", lone: "x\ufffd", pair: "😀", quoted: "\\u0000 stays text" } });
    expect(row!.response).toEqual({ status: 404, body: ["\ufffd"] });
  });

  it("stores every column as given (quotes, braces, backslashes and the word NULL included), absent ones NULL or their default, and generates an id when none is given", async () => {
    const { sql } = database();
    const startedAt = new Date("2026-11-29T10:11:12.345Z");
    const full = {
      id: "0b7a4c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
      startedAt,
      direction: "outgoing" as const,
      mode: "replay" as const,
      flowId: "1b7a4c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
      flowSlug: "invoice-to-accounting",
      flowVersion: 3,
      requestId: "req-1",
      clientId: "2b7a4c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
      clientName: "NULL",
      connectionName: "accounting",
      status: "ERROR" as const,
      httpStatus: 502,
      errorCode: "EXTERNAL_ERROR",
      errorMessage: 'bad "gateway", {x} \\ \\" NULL',
      recordEntity: "Invoice",
      recordId: "INV-1",
      referenceId: "ACC-1",
      durationMs: 12.345678,
      request: { method: "POST", body: { a: [1, "two", null, { b: true }], vendor: { name: '  Ka"veri {x}, \\ NULL ' }, gst: 27 } },
      response: { status: 502, body: "oops" },
      keyFields: [
        { name: "Vendor_Name", paths: [["Vendor_Name"], ["vendor", "name"]] },
        { name: "GST_No", paths: [["gst"]] },
      ],
      trace: [{ nodeId: "send", status: "error" }],
      attempts: 2,
      replayOf: "3b7a4c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
      deliveryId: "4b7a4c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
    };
    expect(await recordExecution(sql, full)).toBe(full.id);
    const [row] = await sql`select * from executions where id = ${full.id}`;
    expect(row).toEqual({
      id: full.id, started_at: startedAt, direction: "outgoing", mode: "replay", flow_id: full.flowId, flow_slug: full.flowSlug,
      flow_version: 3, request_id: "req-1", client_id: full.clientId, client_name: "NULL", connection_name: "accounting", status: "ERROR",
      http_status: 502, error_code: "EXTERNAL_ERROR", error_message: 'bad "gateway", {x} \\ \\" NULL', record_entity: "Invoice", record_id: "INV-1",
      reference_id: "ACC-1", duration_ms: 12.345678, request: full.request, response: full.response, trace: full.trace, attempts: 2,
      replay_of: full.replayOf, delivery_id: full.deliveryId,
      search_keys: ['ka"veri {x}, \\ null', "27"], key_values: [{ field: "Vendor_Name", value: 'Ka"veri {x}, \\ NULL' }, { field: "GST_No", value: "27" }],
    });

    const id = await recordExecution(sql, { startedAt, direction: "incoming", status: "SUCCESS", durationMs: 0, request: null, clientId: null });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [bare] = await sql`select * from executions where id = ${id}`;
    expect(bare).toMatchObject({ mode: "live", attempts: 1, flow_slug: null, http_status: null, request: null, response: null, trace: null, client_id: null, duration_ms: 0, search_keys: null, key_values: null });
  });
});
