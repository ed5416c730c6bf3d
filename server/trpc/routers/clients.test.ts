/** clients.*: issue (shown once), real calls with the key, rotate with overlap, revoke, settings; audited; never a secret twice. */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/server/testing/database";
import { useIncomingTestServer } from "@/server/testing/incoming-server";
import { callerAs, codeOf } from "../testing/caller";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

let n = 7000;
const lead = () => ({ name: `Lead ${n++}`, company: "Acme", phone: "+91 9812345678", email: "lead@example.com", city: "Chennai", source: "website", message: "hi" });
const call = (key: string, headers: Record<string, string> = {}) => api.post("lead-enquiry", lead(), { "x-api-key": key, ...headers });

describe("clients router", () => {
  it("issues a key once that calls the API; lists show only prefixes; rotation overlaps; revocation is immediate", async () => {
    const { sql } = database();
    const admin = callerAs(sql, "admin");
    expect(await codeOf(callerAs(sql, "analyst").clients.create({ name: "x", flowScopes: ["*"], credentialKind: "api_key" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(sql, "viewer").clients.list())).toBe("OK");

    const created = await admin.clients.create({ name: "acme-crm", flowScopes: ["lead-enquiry"], credentialKind: "api_key", withSigningSecret: true, rateLimitPerMinute: 100 });
    const key = created.credentials[0]!.token;
    expect(key).toMatch(/^fpk_/);
    expect(created.signingSecret).toMatch(/^whsec_/);
    expect((await call(key)).status).toBe(200);

    const listed = JSON.stringify([await admin.clients.list(), await admin.clients.get({ name: "acme-crm" })]);
    expect(listed).not.toContain(key);
    expect(listed).not.toContain(key.slice(13)); // the secret part after the public prefix
    expect(listed).not.toContain(created.signingSecret!);
    const [stored] = await sql<{ hash: string }[]>`select hash from api_credentials where prefix = ${created.credentials[0]!.prefix}`;
    expect(listed).not.toContain(stored!.hash);
    const got = await admin.clients.get({ name: "acme-crm" });
    expect(got.credentials[0]).toMatchObject({ masked: `${created.credentials[0]!.prefix}_••••`, status: "active", kind: "api_key" });
    expect(got.lastUsedAt).not.toBeNull();

    // Out of scope → 403 FORBIDDEN_FLOW.
    expect((await api.post("vendor-master", {}, { "x-api-key": key })).status).toBe(403);

    const rotated = await admin.clients.rotate({ name: "acme-crm", overlapHours: 1 });
    const newKey = rotated.credentials[0]!.token;
    expect((await call(newKey)).status).toBe(200);
    expect((await call(key)).status).toBe(200); // still inside the overlap
    expect(rotated.retiring[0]!.prefix).toBe(created.credentials[0]!.prefix);

    await admin.clients.revokeCredential({ prefix: created.credentials[0]!.prefix });
    expect((await call(key)).status).toBe(401);
    expect((await call(newKey)).status).toBe(200);

    const bearer = await admin.clients.issue({ name: "acme-crm", kind: "bearer", expiresInDays: 30 });
    expect(bearer.token).toMatch(/^fpt_/);
    expect(bearer.expiresAt).not.toBeNull();

    await admin.clients.update({ name: "acme-crm", ipAllowlist: ["203.0.113.0/24"] });
    expect((await call(newKey)).status).toBe(403); // 127.0.0.1 is not on the list
    await expect(admin.clients.update({ name: "acme-crm", ipAllowlist: ["not-an-ip"] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/not-an-ip/) });
    await admin.clients.update({ name: "acme-crm", ipAllowlist: [] });

    const secret = await admin.clients.setSigningSecret({ name: "acme-crm", action: "generate" });
    expect(secret.signingSecret).toMatch(/^whsec_/);
    expect(JSON.stringify(await admin.clients.get({ name: "acme-crm" }))).not.toContain(secret.signingSecret!);

    const revoked = await admin.clients.revoke({ name: "acme-crm" });
    expect(revoked.revokedPrefixes.length).toBeGreaterThanOrEqual(2);
    expect((await call(newKey)).status).toBe(401);

    await expect(admin.clients.create({ name: "acme-crm", flowScopes: ["*"], credentialKind: "bearer" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await codeOf(admin.clients.get({ name: "nobody" }))).toBe("NOT_FOUND");

    const audit = await sql<{ action: string; target: string; details: unknown; actor_email: string }[]>`select action, target, details, actor_email from audit_log where action like 'client.%' order by id`;
    expect(audit.map((a) => a.action)).toEqual([
      "client.created",
      "client.keys_rotated",
      "client.key_revoked",
      "client.key_issued",
      "client.updated",
      "client.updated",
      "client.signing_secret_issued",
      "client.revoked",
    ]);
    expect(audit.every((a) => a.actor_email === "admin@example.com" && a.target === "acme-crm")).toBe(true);
    const trail = JSON.stringify(audit);
    for (const s of [key, newKey, bearer.token, created.signingSecret!, secret.signingSecret!]) expect(trail).not.toContain(s);
  });
});
