/** Fix-and-replay over real HTTP calls and a real database: edited, dry, from a node, and by filter. */
import { describe, expect, it } from "vitest";
import { insertRecord } from "../records/store";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { bulkCount, replayMatching } from "./bulk";
import { LogActionError } from "./errors";
import { getExecution, listExecutions } from "./query";
import { replayExecution } from "./replay";

const database = useTestDatabase();
const OPERATOR = { id: "user-ana", email: "ana@example.com" };
const api = useIncomingTestServer(database);

let gst = 2000;
const vendor = (overrides: Record<string, unknown> = {}) => ({
  vendorName: "Replay Traders",
  gstNumber: `27ABCDE${gst++}F1Z5`,
  contactPerson: "R S",
  mobile: "9876543210",
  email: "replay@example.com",
  city: "Mumbai",
  ...overrides,
});

/** The log row of a call, by the request id it answered with. */
async function executionOf(requestId: string) {
  const { sql } = database();
  const [row] = await sql<{ id: string }[]>`select id from executions where request_id = ${requestId}`;
  return row!.id;
}

const vendorCount = async () => {
  const [row] = await database().sql<{ n: number }[]>`select count(*)::int as n from records where entity = 'Vendor'`;
  return row!.n;
};

describe("replaying logged incoming calls", () => {
  it("replays a failed call with an edited payload against the published version: stored, logged as a replay of it", async () => {
    const { sql } = database();
    const bad = await api.post("vendor-master", vendor({ gstNumber: "27ABCDE12" }));
    expect(bad.status).toBe(400);
    const originalId = await executionOf(bad.json.requestId as string);

    // As logged, it fails again.
    const same = await replayExecution(sql, originalId, { actor: OPERATOR, target: "published" });
    expect(same).toMatchObject({ status: "FAILED", httpStatus: 400, errorCode: "INVALID_GST", mode: "replay" });

    const fixed = vendor();
    const replay = await replayExecution(sql, originalId, { actor: OPERATOR, target: "published", payload: fixed });
    expect(replay).toMatchObject({ status: "SUCCESS", httpStatus: 200, mode: "replay", replayOf: originalId, flowVersion: 1 });
    expect(replay.recordId).toMatch(/^VEND-\d+$/);
    const [record] = await sql`select data from records where record_id = ${replay.recordId}`;
    expect(record!.data).toMatchObject({ GST_No: fixed.gstNumber });

    const logged = await getExecution(sql, replay.executionId);
    // The operator's action: no API client is named, the operator is.
    expect(logged).toMatchObject({ mode: "replay", replayOf: originalId, status: "SUCCESS", recordId: replay.recordId, clientName: null });
    expect(logged!.request).toMatchObject({ replay: { by: OPERATOR, originalClient: "test-client" } });
    const [origin] = await sql<{ origin: Record<string, unknown> }[]>`select origin from records where record_id = ${replay.recordId}`;
    expect(origin!.origin).toMatchObject({ kind: "replay", replayOf: originalId, executionId: replay.executionId, actor: OPERATOR });
    expect(logged!.trace.map((t) => t.nodeId)).toEqual(["trigger", "auth", "map", "validate", "store", "respond"]);
    expect((await getExecution(sql, originalId))!.replays.map((r) => r.id)).toContain(replay.executionId);
  });

  it("dry-runs a call against the draft: the answer it would give, nothing stored", async () => {
    const { sql } = database();
    const ok = await api.post("vendor-master", vendor());
    expect(ok.status).toBe(200);
    const before = await vendorCount();
    const dry = await replayExecution(sql, await executionOf(ok.json.requestId as string), { actor: OPERATOR, target: "draft", payload: vendor() });
    expect(dry).toMatchObject({ status: "SUCCESS", mode: "dry", flowVersion: null });
    expect(await vendorCount()).toBe(before);
    expect(await getExecution(sql, dry.executionId)).toMatchObject({ mode: "dry", status: "SUCCESS" });
  });

  it("replays from a chosen node with that node's logged input, or an edited one", async () => {
    const { sql } = database();
    const bad = await api.post("vendor-master", vendor({ mobile: "12345" }));
    expect(bad.json.errorCode).toBe("INVALID_MOBILE");
    const id = await executionOf(bad.json.requestId as string);
    const logged = (await getExecution(sql, id))!.trace.find((t) => t.nodeId === "validate")!;

    const again = await replayExecution(sql, id, { actor: OPERATOR, target: "published", fromNodeId: "validate" });
    expect(again).toMatchObject({ status: "FAILED", errorCode: "INVALID_MOBILE" });
    expect(again.trace.map((t) => t.nodeId)).toEqual(["validate", "store", "respond"]);

    const fixedInput = { ...(logged.input as Record<string, unknown>), Phone_No: "9876543210" };
    const fixed = await replayExecution(sql, id, { actor: OPERATOR, target: "published", fromNodeId: "validate", payload: fixedInput });
    expect(fixed).toMatchObject({ status: "SUCCESS", httpStatus: 200 });
    const [record] = await sql`select data from records where record_id = ${fixed.recordId}`;
    expect(record!.data).toMatchObject({ Phone_No: "9876543210", Vendor_Name: "Replay Traders" });

    await expect(replayExecution(sql, id, { actor: OPERATOR, target: "published", fromNodeId: "nope" })).rejects.toThrow(/not in this version/);
  });

  it("runs the validate node that feeds the chosen store node, and the store's contract: an edited record cannot skip either", async () => {
    const { sql } = database();
    const ok = await api.post("vendor-master", vendor());
    expect(ok.status).toBe(200);
    const id = await executionOf(ok.json.requestId as string);
    const logged = (await getExecution(sql, id))!.trace.find((t) => t.nodeId === "store")!.input as Record<string, unknown>;
    const before = await vendorCount();

    // The probe's replay: a record that fails every rule, from the store node.
    const failsRules = await replayExecution(sql, id, { actor: OPERATOR, target: "published", fromNodeId: "store", payload: { ...logged, GST_No: "27ABCDE12", Phone_No: "12" } });
    expect(failsRules).toMatchObject({ status: "FAILED", httpStatus: 400, errorCode: "INVALID_GST" });
    expect(failsRules.trace.map((t) => t.nodeId)).toEqual(["validate", "store", "respond"]);
    const wrongTypes = await replayExecution(sql, id, { actor: OPERATOR, target: "published", fromNodeId: "store", payload: { ...logged, GST_No: "27ABCDE7777F1Z5", Vendor_Name: { a: 1 }, Address: "x".repeat(5000) } });
    expect(wrongTypes).toMatchObject({ status: "FAILED", httpStatus: 400 });
    expect(wrongTypes.response).toMatchObject({ status: "error", errors: expect.arrayContaining([expect.objectContaining({ field: "Address", code: "INVALID_LENGTH" })]) });
    expect(await vendorCount()).toBe(before);
  });

  it("never replays an unauthenticated call as anyone, nor an outgoing one", async () => {
    const { sql } = database();
    const unauthenticated = await api.post("vendor-master", vendor(), { "x-api-key": "fpk_wrong" });
    expect(unauthenticated.status).toBe(401);
    const replay = await replayExecution(sql, await executionOf(unauthenticated.json.requestId as string), { actor: OPERATOR, target: "published" });
    expect(replay).toMatchObject({ status: "FAILED", httpStatus: 401 });

    const [outgoing] = await sql<{ id: string }[]>`
      insert into executions (started_at, direction, status, duration_ms, flow_slug) values (now(), 'outgoing', 'FAILED', 1, 'x') returning id`;
    await expect(replayExecution(sql, outgoing!.id, { actor: OPERATOR, target: "published" })).rejects.toBeInstanceOf(LogActionError);
  });

  it("replays every call matching a filter (not only one page) after confirming the count", async () => {
    const { sql } = database();
    const requestIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.post("vendor-master", vendor({ city: "Atlantis" }));
      expect(res.json.errorCode).toBe("CITY_NOT_FOUND");
      requestIds.push(res.json.requestId as string);
    }
    const filter = { direction: "incoming" as const, search: "CITY_NOT_FOUND" };
    expect((await listExecutions(sql, filter, { limit: 2 })).items).toHaveLength(2);
    expect(await bulkCount(sql, filter)).toBe(5);

    // The master learns the city; a wrong confirmation is refused, the right one replays all five.
    await insertRecord(sql, "City", { Name: "Atlantis", State: "Maharashtra" });
    await expect(replayMatching(sql, filter, { actor: OPERATOR, target: "published", confirmedCount: 4 })).rejects.toMatchObject({ code: "CONFLICT" });
    const before = await vendorCount();
    const result = await replayMatching(sql, filter, { actor: OPERATOR, target: "published", confirmedCount: 5 });
    expect(result).toMatchObject({ replayed: 5, succeeded: 5, failed: 0 });
    expect(await vendorCount()).toBe(before + 5);
    // The replays are not themselves counted as calls to replay.
    expect(await bulkCount(sql, { direction: "incoming", flowSlug: "vendor-master", mode: "replay" })).toBe(await bulkCount(sql, { direction: "incoming", flowSlug: "vendor-master" }));
  });
});
