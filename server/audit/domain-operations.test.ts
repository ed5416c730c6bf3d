/**
 * The domain operations behind the console and the CLI (issue 16): each writes its audit row as the
 * actor, answers bad input with the error table's code, and owns its transaction — when the audit
 * row cannot be written, the change is rolled back with it (a check constraint here refuses one
 * action's audit row, on a real database, to prove it).
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeAuth } from "@/server/auth/process-auth";
import { changeUserDisabled, changeUserRole, createConsoleUser } from "@/server/auth/user-actions";
import { getClient } from "@/server/incoming/clients";
import { createApiClient, revokeApiClient, updateApiClient } from "@/server/incoming/client-actions";
import { createNewFlow, importFlowFiles, saveFlowDraft, setFlowActivation } from "@/server/flows/flow-actions";
import { exportFlow, listFlows } from "@/server/flows/repository";
import { getDraft } from "@/server/flows/draft";
import { changeRetention } from "@/server/logs/log-actions";
import { listRetention } from "@/server/logs/retention";
import { removeConnection, saveConnection, saveCredential } from "@/server/outgoing/connection-actions";
import { listConnections } from "@/server/outgoing/connections";
import { createRecordAs, sendRecordsAs, transitionRecordAs } from "@/server/records/record-actions";
import { getRecord } from "@/server/records/store";
import { invoiceManualFlow, publish } from "@/server/outgoing/testing-receiver";
import { changeDefaultStatusRules, getDefaultStatusRules } from "@/server/settings/status-rules";
import { useTestDatabase } from "@/server/testing/database";
import { cliActor, userActor, type Actor } from "./actor";

const database = useTestDatabase();
afterAll(() => closeAuth());

const admin = userActor({ id: "u-admin", email: "admin@example.com", name: "Ada" });
const cli: Actor = { kind: "cli", name: "cli:tester" };

const auditRows = (action: string) =>
  database().sql<{ actor_id: string | null; actor_email: string; target: string | null; details: Record<string, unknown> }[]>`
    select actor_id, actor_email, target, details from audit_log where action = ${action} order by id`;

/** Runs `change` while the audit log refuses `action`: it must fail, and leave nothing behind. */
async function withAuditRefused<T>(action: string, change: () => Promise<T>): Promise<unknown> {
  const { sql } = database();
  await sql.unsafe(`alter table audit_log add constraint refuse_one_action check (action <> '${action}') not valid`);
  try {
    return await change().then(
      () => expect.unreachable(`${action}: the change succeeded although its audit row could not be written`),
      (error: unknown) => error,
    );
  } finally {
    await sql.unsafe("alter table audit_log drop constraint refuse_one_action");
  }
}

describe("domain operations write their audit row, in their own transaction", () => {
  it("connections and credentials", async () => {
    const { sql } = database();
    await saveCredential(sql, { name: "ops-token", type: "bearer", secret: "tok_ops_99998888" }, admin);
    const saved = await saveConnection(sql, { name: "ops-api", baseUrl: "https://ops.example.com", credentialName: "ops-token" }, admin);
    expect(saved).toMatchObject({ credentialName: "ops-token", method: "POST" });
    expect(await auditRows("connection.saved")).toEqual([
      { actor_id: "u-admin", actor_email: "admin@example.com", target: "ops-api", details: { baseUrl: "https://ops.example.com/", credentialName: "ops-token", allowPrivate: false, retryScheduleMs: null, maxAttempts: null } },
    ]);
    // The console's save sends every field: what it leaves out returns to its default (no credential).
    expect(await saveConnection(sql, { name: "ops-api", baseUrl: "https://ops.example.com" }, admin)).toMatchObject({ credentialName: null });

    await withAuditRefused("connection.saved", () => saveConnection(sql, { name: "ops-api", baseUrl: "https://changed.example.com" }, cli, { keepUnset: true }));
    await withAuditRefused("connection.saved", () => saveConnection(sql, { name: "never-saved", baseUrl: "https://x.example.com" }, cli));
    expect((await listConnections(sql)).map((c) => [c.name, c.baseUrl])).toEqual(expect.arrayContaining([["ops-api", "https://ops.example.com/"]]));
    expect((await listConnections(sql)).map((c) => c.name)).not.toContain("never-saved");
    await withAuditRefused("connection.deleted", () => removeConnection(sql, { name: "ops-api" }, cli));
    expect((await listConnections(sql)).map((c) => c.name)).toContain("ops-api");

    await expect(removeConnection(sql, { name: "nope" }, cli)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saveCredential(sql, { name: "no-secret", type: "bearer" }, admin)).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: 'Enter the secret for "no-secret"' });
    await expect(saveCredential(sql, { name: "ops-token", type: "basic", config: { username: "x" } }, admin)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: 'Changing the type of "ops-token" needs its new secret',
    });
    await expect(saveConnection(sql, { name: "bad url", baseUrl: "ftp://x" }, admin)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(JSON.stringify(await sql`select details from audit_log`)).not.toContain("tok_ops_");
  });

  it("API clients", async () => {
    const { sql } = database();
    const created = await createApiClient(sql, { name: "ops-client", flowScopes: [], credentialKind: "api_key" }, cli);
    expect(await auditRows("client.created")).toEqual([
      { actor_id: null, actor_email: "cli:tester", target: "ops-client", details: expect.objectContaining({ flowScopes: [], signingSecret: false }) },
    ]);
    expect(JSON.stringify(await auditRows("client.created"))).not.toContain(created.credentials[0]!.token);

    await withAuditRefused("client.updated", () => updateApiClient(sql, { name: "ops-client", flowScopes: ["*"] }, admin));
    expect((await getClient(sql, "ops-client")).flowScopes).toEqual([]);
    await withAuditRefused("client.revoked", () => revokeApiClient(sql, { name: "ops-client" }, admin));
    expect((await getClient(sql, "ops-client")).active).toBe(true);
    await withAuditRefused("client.created", () => createApiClient(sql, { name: "ghost-client", flowScopes: ["*"], credentialKind: "bearer" }, admin));
    await expect(getClient(sql, "ghost-client")).rejects.toMatchObject({ code: "NOT_FOUND" });

    await expect(createApiClient(sql, { name: "ops-client", flowScopes: [], credentialKind: "api_key" }, admin)).rejects.toMatchObject({ details: { reason: "CONFLICT" } });
    await expect(updateApiClient(sql, { name: "ops-client", ipAllowlist: ["not-an-ip"] }, admin)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(revokeApiClient(sql, { name: "nobody" }, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("users", async () => {
    const { sql } = database();
    const { user: boss } = await createConsoleUser(sql, { email: "boss@example.com", role: "admin", password: "a-long-password-1" }, cli);
    const { user, generatedPassword } = await createConsoleUser(sql, { email: "ops@example.com", role: "operator" }, userActor(boss));
    expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect((await auditRows("user.created")).map((r) => [r.actor_email, r.target, r.details])).toEqual([
      ["cli:tester", "boss@example.com", { role: "admin" }],
      ["boss@example.com", "ops@example.com", { role: "operator" }],
    ]);
    await withAuditRefused("user.role_changed", () => changeUserRole(sql, { email: "OPS@example.com", role: "viewer" }, cli));
    expect((await sql`select role from auth_user where id = ${user.id}`)[0]).toEqual({ role: "operator" });
    expect(await changeUserRole(sql, { email: "OPS@example.com", role: "viewer" }, cli)).toMatchObject({ role: "viewer" });
    await withAuditRefused("user.disabled", () => changeUserDisabled(sql, { id: user.id, disabled: true }, userActor(boss)));
    expect((await sql`select disabled from auth_user where id = ${user.id}`)[0]).toEqual({ disabled: false });

    await expect(changeUserDisabled(sql, { id: boss.id, disabled: true }, userActor(boss))).rejects.toMatchObject({ code: "INVALID_REQUEST", message: "You cannot disable yourself" });
    await expect(changeUserRole(sql, { id: boss.id, role: "viewer" }, cli)).rejects.toMatchObject({ code: "LAST_ADMIN" });
    await expect(changeUserRole(sql, { email: "nobody@example.com", role: "viewer" }, cli)).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    await expect(changeUserRole(sql, { id: user.id, role: "root" }, cli)).rejects.toMatchObject({ code: "INVALID_ROLE" });
  });

  it("records: create, transition and send commit with their audit row or not at all", async () => {
    const { sql } = database();
    const record = await createRecordAs(sql, { entity: "Invoice", data: { Invoice_No: "INV/OPS/1", Invoice_Date: "2025-12-12", Total_Amount: 10 } }, admin);
    expect(await auditRows("record.created")).toEqual([{ actor_id: "u-admin", actor_email: "admin@example.com", target: `Invoice/${record.recordId}`, details: { status: "draft" } }]);
    await withAuditRefused("record.created", () => createRecordAs(sql, { entity: "Invoice", data: { Invoice_No: "INV/OPS/2", Invoice_Date: "2025-12-12", Total_Amount: 10 } }, admin));
    expect((await sql`select count(*)::int as n from records where data->>'Invoice_No' = 'INV/OPS/2'`)[0]).toEqual({ n: 0 });

    const events = async () => (await sql<{ n: number }[]>`select count(*)::int as n from record_events where payload->>'recordId' = ${record.recordId}`)[0]!.n;
    const eventsBefore = await events();
    await withAuditRefused("record.transitioned", () => transitionRecordAs(sql, { entity: "Invoice", recordId: record.recordId, toStatus: "approved" }, admin));
    expect((await getRecord(sql, "Invoice", record.recordId))?.status).toBe("draft");
    expect(await events()).toBe(eventsBefore);
    await expect(transitionRecordAs(sql, { entity: "Invoice", recordId: record.recordId, toStatus: "paid" }, admin)).rejects.toMatchObject({ code: "WORKFLOW_RULE" });
    await expect(transitionRecordAs(sql, { entity: "Invoice", recordId: "INV-NOPE", toStatus: "approved" }, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });

    await publish(sql, invoiceManualFlow());
    const deliveries = async () => (await sql<{ n: number }[]>`select count(*)::int as n from deliveries where record_id = ${record.recordId}`)[0]!.n;
    await withAuditRefused("records.sent", () => sendRecordsAs(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" }, admin));
    expect(await deliveries()).toBe(0);
    const ids = await sendRecordsAs(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" }, cli);
    expect(await deliveries()).toBe(1);
    expect(await auditRows("records.sent")).toEqual([{ actor_id: null, actor_email: "cli:tester", target: "invoice-manual-push", details: { entity: "Invoice", recordIds: [record.recordId], deliveryIds: ids } }]);
    await expect(sendRecordsAs(sql, { entity: "Invoice", recordIds: ["INV-NOPE"], flowSlug: "invoice-manual-push" }, cli)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("flows: create, save over someone, import, (de)activate, retention and default status rules", async () => {
    const { sql } = database();
    const created = await createNewFlow(sql, { kind: "blank", direction: "incoming", name: "Ops intake", slug: "ops-intake" }, admin);
    expect(await getDraft(sql, "ops-intake")).toMatchObject({ draftRevision: created.draftRevision, draftUpdatedBy: "Ada" });
    await withAuditRefused("flow.created", () => createNewFlow(sql, { kind: "example", example: "vendor-master", name: "Ghost", slug: "ghost-flow" }, admin));
    expect((await listFlows(sql)).map((f) => f.slug)).not.toContain("ghost-flow");
    await expect(createNewFlow(sql, { kind: "blank", direction: "incoming", name: "Again", slug: "ops-intake" }, admin)).rejects.toMatchObject({ code: "SLUG_TAKEN" });

    const draft = await exportFlow(sql, "ops-intake");
    await withAuditRefused("flow.draft_overwritten", () => saveFlowDraft(sql, { flow: { ...draft, description: "overwritten" }, expectedRevision: 1, overwrite: true }, cli));
    expect((await getDraft(sql, "ops-intake")).draftRevision).toBe(created.draftRevision);
    await expect(saveFlowDraft(sql, { flow: { ...draft, description: "stale" }, expectedRevision: created.draftRevision + 5 }, admin)).rejects.toMatchObject({ code: "DRAFT_CONFLICT" });

    await withAuditRefused("flow.imported", () => importFlowFiles(sql, { files: [{ ...draft, description: "from git" }] }, cli));
    expect((await exportFlow(sql, "ops-intake")).description).toBe(draft.description);
    expect(await importFlowFiles(sql, { files: [{ ...draft, description: "from git" }] }, cli)).toEqual([expect.objectContaining({ slug: "ops-intake", created: false, publishedVersion: undefined })]);
    expect(await auditRows("flow.imported")).toEqual([{ actor_id: null, actor_email: "cli:tester", target: "ops-intake", details: { replaceDraft: true, draftRevision: created.draftRevision + 1 } }]);

    await withAuditRefused("flow.deactivated", () => setFlowActivation(sql, { slug: "ops-intake", active: false }, admin));
    expect((await listFlows(sql)).find((f) => f.slug === "ops-intake")?.active).toBe(true);
    expect(await setFlowActivation(sql, { slug: "ops-intake", active: false }, cliActor())).toEqual({ slug: "ops-intake", active: false });
    expect((await auditRows("flow.deactivated"))[0]).toMatchObject({ actor_id: null, actor_email: expect.stringMatching(/^cli:/), target: "ops-intake" });
    await expect(setFlowActivation(sql, { slug: "no-such-flow", active: true }, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });

    await withAuditRefused("flow.retention_changed", () => changeRetention(sql, { flowSlug: "ops-intake", days: 7 }, admin));
    expect((await listRetention(sql)).find((r) => r.slug === "ops-intake")?.retentionDays).toBe(30);
    await expect(changeRetention(sql, { flowSlug: "no-such-flow", days: 7 }, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });

    const before = await getDefaultStatusRules(sql);
    await withAuditRefused("settings.status_rules_defaults_changed", () => changeDefaultStatusRules(sql, { rules: { ...before, SUCCESS: { ...before.SUCCESS, httpStatus: 201 } } }, admin));
    expect(await getDefaultStatusRules(sql)).toEqual(before);
    await expect(changeDefaultStatusRules(sql, { rules: { nonsense: true } }, admin)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });
});
