/** The logs and Failed Queue procedures as the console calls them: results, refusals, audit trail. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Role } from "@/server/auth/permissions";
import { recordExecution } from "@/server/executions/record-execution";
import { useTestDatabase } from "@/server/testing/database";
import { useIncomingTestServer } from "@/server/testing/incoming-server";
import { createCallerFactory, createContext } from "../init";
import { appRouter } from "../root";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

const as = (role: Role) =>
  createCallerFactory(appRouter)(createContext({ sql: database().sql, user: { id: `u-${role}`, email: `${role}@example.com`, name: role, role } }));

const auditOf = async (action: string) =>
  database().sql<{ actor_email: string; target: string | null; details: Record<string, unknown> }[]>`
    select actor_email, target, details from audit_log where action = ${action} order by id`;

describe("logs router", () => {
  it("lists, opens and replays a call; the replay is audited with who did it", async () => {
    const bad = await api.post("vendor-master", { vendorName: "A", gstNumber: "27ABCDE12", contactPerson: "B", mobile: "9876543210", email: "a@b.in", city: "Mumbai" });
    const operator = as("operator");
    const page = await operator.logs.list({ filter: { direction: "incoming", search: bad.json.requestId as string } });
    expect(page.items).toHaveLength(1);
    const detail = await operator.logs.get({ id: page.items[0]!.id });
    expect(detail.trace.length).toBeGreaterThan(0);

    const replay = await operator.logs.replay({ id: detail.id, target: "draft" });
    expect(replay).toMatchObject({ mode: "dry", status: "FAILED", errorCode: "INVALID_GST" });
    const [entry] = await auditOf("execution.dry_run");
    expect(entry).toMatchObject({ actor_email: "operator@example.com", target: detail.id, details: { replayId: replay.executionId, status: "FAILED" } });
  });

  it("answers a bad cursor, an unknown execution and a wrong bulk confirmation with clear errors", async () => {
    const viewer = as("viewer");
    await expect(viewer.logs.list({ filter: { direction: "incoming" }, cursor: "nonsense" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(viewer.logs.get({ id: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as("operator").logs.replayMatching({ filter: { direction: "incoming", search: "NO-SUCH-KEY" }, target: "published", confirmedCount: 3 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Nothing matches this filter",
    });
    await expect(viewer.logs.replay({ id: randomUUID(), target: "published" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("failedQueue router", () => {
  async function failedDelivery(status = "failed") {
    const [row] = await database().sql<{ id: string }[]>`
      insert into deliveries (flow_id, flow_slug, flow_version, entity, record_id, trigger, idempotency_key, status, attempts, max_attempts, retryable, last_http_status)
      values (${randomUUID()}, 'invoice-to-accounting', 99, 'Invoice', 'INV-X', 'event', ${randomUUID()}, ${status}, 5, 5, true, 500) returning id`;
    return row!.id;
  }

  /** The Outgoing Logs' rows of a delivery: one per attempt, through the given connection. */
  async function attempts(deliveryId: string, connectionName: string, count: number) {
    for (let attempt = 1; attempt <= count; attempt++) {
      await recordExecution(database().sql, {
        startedAt: new Date(),
        direction: "outgoing",
        flowSlug: "invoice-to-accounting",
        connectionName,
        status: "FAILED",
        httpStatus: 500,
        durationMs: 3,
        recordEntity: "Invoice",
        recordId: "INV-X",
        attempts: attempt,
        deliveryId,
      });
    }
  }

  it("counts, retries with an edited payload and discards with a reason, each on the delivery's trail and in the audit log", async () => {
    const operator = as("operator");
    const a = await failedDelivery();
    const b = await failedDelivery();
    expect((await operator.failedQueue.count()).count).toBe(2);
    const listed = await operator.failedQueue.list({});
    expect(listed.items.map((d) => d.id).sort()).toEqual([a, b].sort());
    expect(listed.items[0]).toMatchObject({ reason: "Retries exhausted after 5 attempts (last: HTTP 500)", canRetry: false });

    expect(await operator.failedQueue.editAndRetry({ id: a, payload: { fixed: true } })).toEqual({ retried: [a] });
    const [edited] = await database().sql<{ status: string; payload_override: unknown; audit: { actor: string; payloadEdited?: boolean }[] }[]>`
      select status, payload_override, audit from deliveries where id = ${a}`;
    expect(edited).toMatchObject({ status: "pending", payload_override: { fixed: true }, audit: [{ actor: "operator@example.com", payloadEdited: true }] });
    expect(await auditOf("delivery.edited_and_retried")).toEqual([expect.objectContaining({ actor_email: "operator@example.com", target: a })]);

    await expect(operator.failedQueue.discard({ ids: [b], reason: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await operator.failedQueue.discard({ ids: [b], reason: "duplicate in accounting" })).toEqual({ discarded: [b] });
    expect((await auditOf("delivery.discarded"))[0]).toMatchObject({ details: { reason: "duplicate in accounting" } });
    expect((await operator.failedQueue.count()).count).toBe(0);
    await expect(as("viewer").failedQueue.retry({ ids: [a] })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("retries one delivery, and every failed delivery matching an Outgoing Logs filter after confirming the count; both audited", async () => {
    const operator = as("operator");
    const one = await failedDelivery();
    expect(await operator.failedQueue.retry({ ids: [one] })).toEqual({ retried: [one] });
    expect(await auditOf("delivery.retried")).toEqual([expect.objectContaining({ actor_email: "operator@example.com", target: one, details: { deliveries: [one] } })]);

    // Two failed deliveries through the filtered connection (three attempts each), one already
    // delivered there, and one failed elsewhere: the filter counts deliveries, not attempt rows.
    const [a, b, delivered, elsewhere] = [await failedDelivery(), await failedDelivery(), await failedDelivery("succeeded"), await failedDelivery()];
    for (const id of [a!, b!, delivered!]) await attempts(id, "bulk-accounting", 3);
    await attempts(elsewhere!, "payment-portal", 1);
    const filter = { direction: "outgoing" as const, connectionName: "bulk-accounting" };
    expect(await operator.logs.bulkCount({ filter })).toMatchObject({ count: 2 });
    await expect(operator.logs.retryMatching({ filter, confirmedCount: 6 })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(as("analyst").logs.retryMatching({ filter, confirmedCount: 2 })).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(await operator.logs.retryMatching({ filter, confirmedCount: 2 })).toEqual({ retried: 2 });
    const statuses = await database().sql<{ id: string; status: string }[]>`select id, status from deliveries where id in ${database().sql([a!, b!, delivered!, elsewhere!])}`;
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({ [a!]: "pending", [b!]: "pending", [delivered!]: "succeeded", [elsewhere!]: "failed" });
    expect(await auditOf("deliveries.bulk_retried")).toEqual([
      expect.objectContaining({ actor_email: "operator@example.com", details: { filter, deliveries: 2 } }),
    ]);
    // Nothing failed is left under that filter: a second bulk retry has nothing to do.
    await expect(operator.logs.retryMatching({ filter, confirmedCount: 2 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Nothing matches this filter" });
  });

  it("links each failed delivery to its last attempt's log row, and says where deliveries stand after a retry", async () => {
    const operator = as("operator");
    const logged = await failedDelivery();
    const bare = await failedDelivery();
    await attempts(logged, "links-accounting", 3);
    const [last] = await database().sql<{ id: string }[]>`select id from executions where delivery_id = ${logged} and attempts = 3`;
    const listed = (await operator.failedQueue.list({})).items;
    expect(listed.find((d) => d.id === logged)!.lastExecutionId).toBe(last!.id);
    expect(listed.find((d) => d.id === bare)!.lastExecutionId).toBeNull();

    expect(await operator.failedQueue.retry({ ids: [logged] })).toEqual({ retried: [logged] });
    const outcomes = await operator.failedQueue.outcomes({ ids: [logged, bare] });
    expect(outcomes.sort((x, y) => (x.id === logged ? -1 : y.id === logged ? 1 : 0))).toEqual([
      { id: logged, recordId: "INV-X", status: "pending", settled: false, lastErrorCode: null, lastHttpStatus: 500 },
      { id: bare, recordId: "INV-X", status: "failed", settled: true, lastErrorCode: null, lastHttpStatus: 500 },
    ]);
    await expect(operator.failedQueue.outcomes({ ids: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await operator.failedQueue.discard({ ids: [bare], reason: "test done" });
  });
});
