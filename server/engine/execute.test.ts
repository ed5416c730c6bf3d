import { describe, expect, it } from "vitest";
import { compileFlow } from "./compile";
import { execute } from "./execute";
import { buildFlow, httpTrigger, runFlow, type NodeSpec } from "./testing/flow-builder";
import { demoErp, DEMO_API_KEY } from "./testing/fixtures";
import { TRACE_VALUE_LIMIT, type TruncatedValue } from "./trace";

const vendor = { Vendor_Name: "ABC Suppliers", GST_No: "27ABCDE1234F1Z5", City: "Mumbai" };

describe("execution trace", () => {
  it("records input, output, status and a duration in microseconds for every node", async () => {
    const result = await runFlow(
      { nodes: [httpTrigger(), ["map", "map", { expression: '{"A": a}' }], ["slow", "map", { expression: "$sum([1..30000])" }]] },
      { a: 1 },
    );
    expect(result.trace.map((t) => [t.nodeId, t.status])).toEqual([["trigger", "success"], ["map", "success"], ["slow", "success"]]);
    expect(result.trace[1]).toMatchObject({ type: "map", name: "map", input: { a: 1 }, output: { A: 1 } });
    for (const entry of result.trace) expect(Number.isInteger(entry.durationUs)).toBe(true);
    // Summing 30 000 numbers through JSONata takes well over a millisecond; the trace must show it.
    expect(result.trace[2]!.durationUs).toBeGreaterThan(1000);
    expect(result.trace[2]!.durationUs).toBeLessThan(result.durationUs + 1);
  });

  it("cuts values over 64 KiB to a preview and flags the entry", async () => {
    const big = { text: "x".repeat(TRACE_VALUE_LIMIT + 10) };
    const result = await runFlow({ nodes: [httpTrigger(), ["map", "map", { expression: '{"size": $length(text)}' }]] }, big);
    const entry = result.trace[1]!;
    expect(entry.truncated).toBe(true);
    const input = entry.input as TruncatedValue;
    expect(input).toMatchObject({ truncated: true });
    expect(input.preview).toHaveLength(TRACE_VALUE_LIMIT);
    expect(input.size).toBeGreaterThan(TRACE_VALUE_LIMIT);
    expect(entry.output).toEqual({ size: TRACE_VALUE_LIMIT + 10 });
    const small = await runFlow({ nodes: [httpTrigger(), ["map", "map", { expression: "$" }]] }, { text: "short" });
    expect(small.trace[1]!.truncated).toBeUndefined();
  });

  it("marks the nodes after an error as skipped and keeps the error on the failing node", async () => {
    const result = await runFlow(
      { nodes: [httpTrigger(), ["validate", "validate", { rules: [{ field: "A", rule: "required" }] }], ["respond", "respond", {}]] },
      {},
    );
    expect(result.trace.map((t) => t.status)).toEqual(["success", "error", "skipped"]);
    expect(result.trace[1]!.error).toMatchObject({ code: "VALIDATION_FAILED", nodeId: "validate", fieldErrors: [{ field: "A" }] });
  });
});

describe("incoming flows end to end", () => {
  const nodes: NodeSpec[] = [
    httpTrigger(),
    ["auth", "auth", { direction: "incoming", methods: ["api_key"] }],
    ["validate", "validate", { rules: [{ field: "GST_No", rule: "unique", entity: "Vendor" }] }],
    ["store", "store", { entity: "Vendor", series: "VEND-" }],
    ["respond", "respond", {}],
  ];

  it("stores the record live and answers with its ID", async () => {
    const services = demoErp();
    const result = await runFlow({ nodes }, vendor, { services, headers: { "X-API-Key": DEMO_API_KEY } });
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 200, recordId: "VEND-1003", record: vendor, mode: "live" });
    expect(services.all("Vendor").map((r) => r.id)).toEqual(["VEND-1001", "VEND-1002", "VEND-1003"]);
    expect(result.trace[1]!.note).toBe("client Memory API key client");
  });

  it("answers 401 AUTH_FAILED for a bad key, before anything is stored", async () => {
    const services = demoErp();
    const result = await runFlow({ nodes }, vendor, { services, headers: { "x-api-key": "wrong" } });
    expect(result).toMatchObject({ outcome: "FAILED", httpStatus: 401, errorCode: "AUTH_FAILED", response: { status: "error", errorCode: "AUTH_FAILED" } });
    expect(services.all("Vendor")).toHaveLength(2);
  });

  it("dry-runs without credentials and without storing", async () => {
    const services = demoErp();
    const result = await runFlow({ nodes }, vendor, { services, mode: "dry" });
    expect(result).toMatchObject({ outcome: "SUCCESS", mode: "dry", record: vendor });
    expect(result.trace[1]!.note).toBe("credentials are not checked in a dry run");
    expect(result.trace[3]!.note).toBe("rolled back (dry run)");
    expect(services.all("Vendor")).toHaveLength(2);
  });

  it("turns a store-level duplicate into DUPLICATE 409", async () => {
    const result = await runFlow({ nodes: [httpTrigger(), ["store", "store", { entity: "Vendor" }]] }, { ...vendor, GST_No: "27AAFCS1234M1Z9" }, { services: demoErp() });
    expect(result).toMatchObject({ outcome: "DUPLICATE", httpStatus: 409, errorCode: "DUPLICATE_RECORD" });
  });

  it("upserts by key", async () => {
    const services = demoErp();
    const spec = { nodes: [httpTrigger(), ["store", "store", { entity: "Invoice", mode: "upsert", keyField: "Invoice_No" }]] as NodeSpec[] };
    const updated = await runFlow(spec, { Invoice_No: "INV/2025/0045", Total_Amount: 1 }, { services });
    expect(updated).toMatchObject({ recordId: "INV-1001", record: { Client_Name: "ABC Infrastructure", Total_Amount: 1 } });
    expect(updated.trace[1]!.output).toMatchObject({ created: false });
  });

  it("rejects a body that is not an object", async () => {
    const result = await runFlow({ nodes: [httpTrigger()] }, [1, 2]);
    expect(result).toMatchObject({ outcome: "FAILED", httpStatus: 400, errorCode: "INVALID_PAYLOAD" });
  });

  it("lookups keep what they find in $vars, or fail with the configured code", async () => {
    const spec = (onMissing: string) => ({
      nodes: [httpTrigger(), ["city", "lookup", { entity: "City", key: "City", target: "city", onMissing, code: "CITY_NOT_FOUND" }], ["map", "map", { expression: '{"state": $vars.city.State}' }]] as NodeSpec[],
    });
    const found = await runFlow(spec("fail"), { City: "Pune" }, { services: demoErp() });
    expect(found.trace[2]!.output).toEqual({ state: "Maharashtra" });
    const missing = await runFlow(spec("fail"), { City: "Atlantis" }, { services: demoErp() });
    expect(missing).toMatchObject({ outcome: "FAILED", httpStatus: 400, errorCode: "CITY_NOT_FOUND" });
    const tolerated = await runFlow(spec("continue"), { City: "Atlantis" }, { services: demoErp() });
    expect(tolerated.trace[2]!.output).toEqual({});
    expect(tolerated.trace[1]!.note).toBe("no City found");
  });
});

describe("batch mode", () => {
  const nodes = (options = {}): { nodes: NodeSpec[]; options: object } => ({
    nodes: [
      httpTrigger({ mode: "batch", itemsField: "items" }),
      ["validate", "validate", { rules: [{ field: "GST_No", rule: "format", format: "gstin" }] }],
      ["store", "store", { entity: "Vendor" }],
    ],
    options,
  });
  const good = (i: number) => ({ Vendor_Name: `V${i}`, GST_No: `27ABCDE123${i}F1Z5` });

  it("answers per item and saves each good one", async () => {
    const services = demoErp();
    const result = await runFlow(nodes(), { items: [good(1), { GST_No: "bad" }, good(2)] }, { services });
    expect(result).toMatchObject({ outcome: "FAILED", httpStatus: 207, errorCode: "INVALID_GST" });
    expect(result.response).toEqual({
      status: "partial",
      message: "2 of 3 records saved",
      results: [
        { index: 0, status: "success", recordId: "VEND-1003" },
        { index: 1, status: "error", errorCode: "INVALID_GST", message: "GST number is invalid", errors: [expect.objectContaining({ field: "GST_No" })] },
        { index: 2, status: "success", recordId: "VEND-1004" },
      ],
    });
    expect(result.items).toHaveLength(3);
    expect(services.all("Vendor")).toHaveLength(4);
    expect(result.trace.filter((t) => t.nodeId === "store").map((t) => [t.item, t.status])).toEqual([[0, "success"], [1, "skipped"], [2, "success"]]);
  });

  it("all or nothing: one bad item rolls every item back", async () => {
    const services = demoErp();
    const result = await runFlow(nodes({ batchAllOrNothing: true }), { items: [good(1), { GST_No: "bad" }] }, { services });
    expect(result).toMatchObject({ outcome: "FAILED", httpStatus: 400, errorCode: "INVALID_GST" });
    expect(result.response.message).toBe("Batch rejected, nothing saved: the record at index 1 failed: GST number is invalid");
    expect(result.response.results).toEqual([{ index: 0, status: "rolled_back" }, expect.objectContaining({ index: 1, status: "error" })]);
    expect(services.all("Vendor")).toHaveLength(2);
  });

  it("all or nothing: saves everything when every item is good", async () => {
    const services = demoErp();
    const result = await runFlow(nodes({ batchAllOrNothing: true }), { items: [good(1), good(2)] }, { services });
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 200, response: { status: "success", message: "2 records saved successfully" } });
    expect(services.all("Vendor")).toHaveLength(4);
  });

  it("refuses an empty or oversized batch as a whole", async () => {
    expect((await runFlow(nodes(), { items: [] }, { services: demoErp() })).errorCode).toBe("INVALID_PAYLOAD");
    const many = { nodes: [httpTrigger({ mode: "batch", maxItems: 2 })] as NodeSpec[] };
    expect((await runFlow(many, [1, 2, 3])).response.message).toBe("The request body has 3 records; the limit is 2");
  });
});

describe("outgoing flows", () => {
  const nodes: NodeSpec[] = [
    ["trigger", "trigger.event", { entity: "Invoice", event: "status_changed", toStatus: "approved" }],
    ["map", "map", { expression: '{"invoiceNumber": Invoice_No, "amount": Total_Amount}' }],
    ["auth", "auth", { direction: "outgoing", credential: "accounting-api-token" }],
    ["send", "send", { connection: "accounting-system", path: "/api/v1/receive-data", referenceIdExpression: "referenceId", referenceField: "Accounting_Ref" }],
  ];
  const invoice = { Invoice_No: "INV/2025/0045", Total_Amount: 85000 };
  const event = { entity: "Invoice", type: "status_changed" as const, toStatus: "approved", recordId: "INV-1001" };

  it("sends with the credential and an idempotency key, and keeps the reference ID on the record", async () => {
    const services = demoErp();
    const result = await runFlow({ direction: "outgoing", nodes }, invoice, { services, event, executionId: "exec-1" });
    expect(result).toMatchObject({ outcome: "SUCCESS", referenceId: "EXT-1", recordId: "INV-1001" });
    expect(services.sent).toEqual([
      { connection: "accounting-system", method: "POST", path: "/api/v1/receive-data", headers: {}, body: { invoiceNumber: "INV/2025/0045", amount: 85000 }, timeoutMs: 10000, credential: "accounting-api-token", idempotencyKey: "exec-1:send" },
    ]);
    expect(services.all("Invoice").find((r) => r.id === "INV-1001")!.record.Accounting_Ref).toBe("EXT-1");
  });

  it("dry runs show the request without sending it", async () => {
    const services = demoErp();
    const result = await runFlow({ direction: "outgoing", nodes }, invoice, { services, mode: "dry" });
    expect(result.requests).toHaveLength(1);
    expect(result.requests[0]!.body).toEqual({ invoiceNumber: "INV/2025/0045", amount: 85000 });
    expect(result.trace[3]).toMatchObject({ note: "not sent in a dry run", output: { sent: false } });
    expect(services.sent).toHaveLength(0);
  });

  it.each([
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [409, false],
  ])("an HTTP %i answer is EXTERNAL_ERROR, retryable: %s", async (status, retryable) => {
    const services = demoErp({ respond: () => ({ status, headers: { "retry-after": "30" }, body: { error: "nope" } }) });
    const result = await runFlow({ direction: "outgoing", nodes }, invoice, { services });
    expect(result.outcome).toBe("FAILED");
    expect(result.error).toMatchObject({ code: "EXTERNAL_ERROR", retryable, nodeId: "send", details: { status, retryAfter: "30" } });
  });

  it("a network failure is a retryable EXTERNAL_ERROR", async () => {
    const services = demoErp({ respond: () => Promise.reject(new Error("ECONNREFUSED")) });
    const result = await runFlow({ direction: "outgoing", nodes }, invoice, { services });
    expect(result.error).toMatchObject({ code: "EXTERNAL_ERROR", retryable: true, message: "Could not reach accounting-system" });
  });

  it("refuses an event the trigger does not start on", async () => {
    const result = await runFlow({ direction: "outgoing", nodes }, invoice, { services: demoErp(), event: { ...event, toStatus: "draft" } });
    expect(result.error).toMatchObject({ code: "WORKFLOW_RULE", nodeId: "trigger" });
  });

  it("schedule triggers select records through the services", async () => {
    const spec = {
      direction: "outgoing" as const,
      nodes: [["trigger", "trigger.schedule", { cron: "0 2 * * *", entity: "Invoice", filter: { status: "approved" }, selection: "$.Invoice_No" }]] as NodeSpec[],
    };
    const result = await runFlow(spec, null, { services: demoErp() });
    expect(result.trace[0]).toMatchObject({ output: ["INV/2025/0047"], note: "1 record selected" });
  });
});

describe("services", () => {
  it("a missing service fails the node that needs it with INTERNAL_ERROR", async () => {
    const result = await runFlow({ nodes: [httpTrigger(), ["store", "store", { entity: "Vendor" }]] }, vendor);
    expect(result).toMatchObject({ outcome: "ERROR", httpStatus: 500, errorCode: "INTERNAL_ERROR", error: { message: "records.insert is not available", nodeId: "store" } });
    expect(result.response).toEqual({ status: "error", errorCode: "INTERNAL_ERROR", message: "Internal server error" });
  });

  it("an unexpected exception inside a service is INTERNAL_ERROR with the cause kept for the log", async () => {
    const services = demoErp();
    services.records.insert = () => Promise.reject(new TypeError("connection reset"));
    const result = await runFlow({ nodes: [httpTrigger(), ["store", "store", { entity: "Vendor" }]] }, vendor, { services });
    expect(result.error).toMatchObject({ code: "INTERNAL_ERROR", details: { cause: "TypeError: connection reset" } });
  });

  it("one plan serves many executions", async () => {
    const plan = compileFlow(buildFlow({ nodes: [httpTrigger(), ["map", "map", { expression: '{"n": n * 2}' }]] }));
    const results = await Promise.all([1, 2, 3].map((n) => execute(plan, { n })));
    expect(results.map((r) => r.trace[1]!.output)).toEqual([{ n: 2 }, { n: 4 }, { n: 6 }]);
  });
});
