import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { verifyToken } from "@/server/secrets/api-tokens";
import { useTestDatabase } from "../testing/database";
import {
  createClient,
  getClient,
  issueCredential,
  listClients,
  revokeClient,
  revokeCredential,
  rotateCredentials,
  setSigningSecret,
  updateClient,
} from "./clients";

// A key of this file's own, so nothing depends on (or writes) the repository's .data folder.
vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();

/** Every stored column of both tables as text, to look for leaked secrets. */
async function storedText(): Promise<string> {
  const { sql } = database();
  const rows = await sql<{ row: string }[]>`
    select row_to_json(c)::text as row from api_clients c
    union all select row_to_json(k)::text from api_credentials k`;
  return rows.map((r) => r.row).join("\n");
}

describe("API client management", () => {
  it("returns the key, token and signing secret once, and stores none of them", async () => {
    const { sql } = database();
    const created = await createClient(sql, {
      name: "acme-erp",
      description: "ACME's ERP",
      flowScopes: ["vendor-master"],
      credentialKind: "both",
      withSigningSecret: true,
      expiresInDays: 30,
    });
    expect(created.client).toMatchObject({ name: "acme-erp", flowScopes: ["vendor-master"], active: true, requireSignature: false });
    expect(created.credentials.map((c) => c.kind)).toEqual(["api_key", "bearer"]);
    const [apiKey, bearer] = created.credentials as [(typeof created.credentials)[0], (typeof created.credentials)[0]];
    expect(apiKey.token).toMatch(/^fpk_/);
    expect(bearer.token).toMatch(/^fpt_/);
    expect(apiKey.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(created.signingSecret).toMatch(/^whsec_/);

    const stored = await storedText();
    expect(stored).toContain(apiKey.prefix); // the row is findable…
    for (const secret of [apiKey.token, bearer.token, created.signingSecret!]) {
      expect(stored).not.toContain(secret); // …but no secret is stored in any form we issued
      expect(stored).not.toContain(secret.slice(13, 40));
    }
    expect(stored).not.toContain(created.signingSecret!.slice(6, 30));
    const [row] = await sql<{ hash: string }[]>`select hash from api_credentials where prefix = ${apiKey.prefix}`;
    expect(verifyToken(apiKey.token, row!.hash)).toBe(true);

    const listed = JSON.stringify(await listClients(sql));
    expect(listed).not.toContain(apiKey.token);
    expect(listed).not.toContain(created.signingSecret);
    expect(created.client.signingSecret).toBe(`••••${created.signingSecret!.slice(-4)}`);
  });

  it("refuses a second client of the same name with a clear conflict", async () => {
    const { sql } = database();
    await createClient(sql, { name: "twin", flowScopes: ["*"], credentialKind: "api_key" });
    const again = createClient(sql, { name: "twin", flowScopes: ["*"], credentialKind: "bearer" });
    await expect(again).rejects.toMatchObject({
      code: "DUPLICATE_RECORD",
      httpStatus: 409,
      message: 'An API client named "twin" already exists',
      details: { reason: "CONFLICT" },
    });
    const [count] = await sql<{ n: number }[]>`
      select count(*)::int as n from api_credentials c join api_clients k on k.id = c.client_id where k.name = 'twin'`;
    expect(count!.n).toBe(1); // the refused call issued nothing
  });

  it("validates names, flow slugs, address ranges and limits", async () => {
    const { sql } = database();
    const base = { flowScopes: ["*"], credentialKind: "api_key" as const };
    await expect(createClient(sql, { ...base, name: "has space" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(createClient(sql, { ...base, name: "ok", flowScopes: ["Not A Slug"] })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(createClient(sql, { ...base, name: "ok", ipAllowlist: ["10.0.0.0/33"] })).rejects.toThrow(/10\.0\.0\.0\/33/);
    await expect(createClient(sql, { ...base, name: "ok", rateLimitPerMinute: 0 })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(createClient(sql, { ...base, name: "ok", expiresInDays: Number.NaN })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await listClients(sql, { name: "ok" })).toEqual([]);
  });

  it("lists clients with prefixes, masks, status, expiry and last use", async () => {
    const { sql } = database();
    const created = await createClient(sql, { name: "lister", flowScopes: ["a", "b"], credentialKind: "api_key", rateLimitPerMinute: 60 });
    const extra = await issueCredential(sql, "lister", "bearer", { expiresInDays: 1 });
    await revokeCredential(sql, created.credentials[0]!.prefix);
    const client = await getClient(sql, "lister");
    expect(client).toMatchObject({ rateLimitPerMinute: 60, signingSecret: null, lastUsedAt: null });
    expect(client.credentials).toEqual([
      expect.objectContaining({ prefix: created.credentials[0]!.prefix, kind: "api_key", status: "revoked", masked: `${created.credentials[0]!.prefix}_••••` }),
      expect.objectContaining({ prefix: extra.prefix, kind: "bearer", status: "active", lastUsedAt: null }),
    ]);
    await sql`update api_credentials set expires_at = now() - interval '1 second' where prefix = ${extra.prefix}`;
    expect((await getClient(sql, "lister")).credentials[1]!.status).toBe("expired");
    await expect(getClient(sql, "nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(issueCredential(sql, "nobody", "api_key")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeCredential(sql, "fpk_00000000")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rotates the kinds a client holds, keeping the old credentials for the overlap only", async () => {
    const { sql } = database();
    const created = await createClient(sql, { name: "rotator", flowScopes: ["*"], credentialKind: "bearer" });
    const rotated = await rotateCredentials(sql, "rotator", { overlapHours: 2 });
    expect(rotated.credentials.map((c) => c.kind)).toEqual(["bearer"]);
    expect(rotated.credentials[0]!.token).not.toBe(created.credentials[0]!.token);
    expect(rotated.retiring.map((r) => r.prefix)).toEqual([created.credentials[0]!.prefix]);
    const overlap = rotated.retiring[0]!.expiresAt.getTime() - Date.now();
    expect(overlap).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(overlap).toBeLessThanOrEqual(2 * 3_600_000 + 1000);

    const both = await rotateCredentials(sql, "rotator", { kind: "both", overlapHours: 0 });
    expect(both.credentials.map((c) => c.kind)).toEqual(["api_key", "bearer"]);
    const statuses = (await getClient(sql, "rotator")).credentials.map((c) => c.status);
    expect(statuses).toEqual(["expired", "expired", "active", "active"]);
    await expect(rotateCredentials(sql, "nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("gives a rotated credential the lifetime of the one it replaces, unless told otherwise", async () => {
    const { sql } = database();
    await createClient(sql, { name: "expiring", flowScopes: ["*"], credentialKind: "api_key", expiresInDays: 10 });
    const days = (date: Date | null) => (date!.getTime() - Date.now()) / 86_400_000;
    const same = await rotateCredentials(sql, "expiring");
    expect(days(same.credentials[0]!.expiresAt)).toBeCloseTo(10, 2);
    const shorter = await rotateCredentials(sql, "expiring", { expiresInDays: 3 });
    expect(days(shorter.credentials[0]!.expiresAt)).toBeCloseTo(3, 2);
    const bearer = await rotateCredentials(sql, "expiring", { kind: "bearer" });
    expect(bearer.credentials[0]!.expiresAt).toBeNull();
  });

  it("revokes a whole client at once", async () => {
    const { sql } = database();
    await createClient(sql, { name: "leaver", flowScopes: ["*"], credentialKind: "both" });
    const result = await revokeClient(sql, "leaver");
    expect(result.revokedPrefixes).toHaveLength(2);
    const client = await getClient(sql, "leaver");
    expect(client.active).toBe(false);
    expect(client.credentials.every((c) => c.status === "revoked" && c.revokedAt !== null)).toBe(true);
    await expect(revokeClient(sql, "nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("updates scopes, allowlist, rate limit and active flag, and guards the signature requirement", async () => {
    const { sql } = database();
    await createClient(sql, { name: "editable", flowScopes: ["a"], credentialKind: "api_key", rateLimitPerMinute: 10 });
    const updated = await updateClient(sql, "editable", { flowScopes: ["*"], ipAllowlist: ["192.0.2.1/32", "2001:DB8::/32"], active: false });
    expect(updated).toMatchObject({ flowScopes: ["*"], ipAllowlist: ["192.0.2.1", "2001:db8::/32"], active: false, rateLimitPerMinute: 10 });
    expect((await updateClient(sql, "editable", { rateLimitPerMinute: null })).rateLimitPerMinute).toBeNull();
    expect((await updateClient(sql, "editable", { flowScopes: [] })).flowScopes).toEqual([]);

    await expect(updateClient(sql, "editable", { requireSignature: true })).rejects.toThrow(/no signing secret/);
    const { signingSecret } = await setSigningSecret(sql, "editable");
    expect(signingSecret).toMatch(/^whsec_/);
    expect((await updateClient(sql, "editable", { requireSignature: true })).requireSignature).toBe(true);
    await expect(setSigningSecret(sql, "editable", "whsec_short")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const cleared = await setSigningSecret(sql, "editable", null);
    expect(cleared.signingSecret).toBeNull();
    expect(await getClient(sql, "editable")).toMatchObject({ signingSecret: null, requireSignature: false });
    await expect(updateClient(sql, "nobody", { active: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("requiring a signature issues a signing secret, and works inside the caller's transaction", async () => {
    const { sql } = database();
    const created = await sql.begin((tx) =>
      createClient(tx, { name: "signed-only", flowScopes: ["*"], credentialKind: "api_key", requireSignature: true }),
    );
    expect(created.signingSecret).toMatch(/^whsec_/);
    expect(created.client.requireSignature).toBe(true);
    await expect(
      sql.begin(async (tx) => {
        await createClient(tx, { name: "rolled-back", flowScopes: ["*"], credentialKind: "api_key" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await listClients(sql, { name: "rolled-back" })).toEqual([]);
  });
});
