import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { generateSigningSecret, verifyWebhookSignature } from "@/server/incoming/webhook-signature";
import { useTestDatabase } from "../testing/database";
import { setConnection } from "./connections";
import { deleteCredential, getCredential, listCredentials, resolveCredentialHeaders, setCredential } from "./credentials";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
const request = { method: "POST", url: "https://api.example.com/x", body: '{"a":1}' };

describe("credentials", () => {
  it("stores secrets encrypted, never in plaintext, and lists them masked to the last 4", async () => {
    const { sql } = database();
    const secrets = {
      key: "ak_live_0123456789abcd",
      bearer: "tok_0123456789wxyz",
      pass: "correct horse battery staple 9876",
      whsec: generateSigningSecret(),
      client: "oauth-client-secret-5555",
    };
    await setCredential(sql, { name: "k", type: "api_key", secret: secrets.key, config: { header: "X-Partner-Key" } });
    await setCredential(sql, { name: "b", type: "bearer", secret: secrets.bearer });
    await setCredential(sql, { name: "p", type: "basic", secret: secrets.pass, config: { username: "erp" } });
    await setCredential(sql, { name: "w", type: "webhook_signing", secret: secrets.whsec });
    await setCredential(sql, {
      name: "o",
      type: "oauth2_client_credentials",
      secret: secrets.client,
      config: { tokenUrl: "https://auth.example.com/token", clientId: "flowport", scope: "invoices" },
      owner: "Acme accounting",
    });

    const dump = JSON.stringify(await sql`select * from credentials`);
    for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);
    const [row] = await sql<{ secret_enc: string }[]>`select secret_enc from credentials where name = 'k'`;
    expect(row!.secret_enc).toMatch(/^v1:[0-9a-f]{8}:/); // with its key id, for rotation

    const listed = await listCredentials(sql);
    const text = JSON.stringify(listed);
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    expect(listed.map((c) => [c.name, c.masked])).toEqual([
      ["b", "••••wxyz"],
      ["k", "••••abcd"],
      ["o", "••••5555"],
      ["p", "••••9876"],
      ["w", `••••${secrets.whsec.slice(-4)}`],
    ]);
    expect(await getCredential(sql, "o")).toMatchObject({ owner: "Acme accounting", config: { clientId: "flowport", scope: "invoices" } });
    expect(listed.find((c) => c.name === "p")).not.toHaveProperty("secret");
  });

  it("shows nothing of a secret too short to spare 4 characters", async () => {
    const { sql } = database();
    expect((await setCredential(sql, { name: "short", type: "bearer", secret: "abc12345" })).masked).toBe("••••");
  });

  it("builds the headers of each type", async () => {
    const { sql } = database();
    expect(await resolveCredentialHeaders(sql, "k", request)).toEqual({ "x-partner-key": "ak_live_0123456789abcd" });
    expect(await resolveCredentialHeaders(sql, "b", request)).toEqual({ authorization: "Bearer tok_0123456789wxyz" });
    expect(await resolveCredentialHeaders(sql, "p", request)).toEqual({
      authorization: `Basic ${Buffer.from("erp:correct horse battery staple 9876").toString("base64")}`,
    });
    await setCredential(sql, { name: "default-key", type: "api_key", secret: "ak_test_000000001111" });
    expect(await resolveCredentialHeaders(sql, "default-key", request)).toEqual({ "x-api-key": "ak_test_000000001111" });

    const whsec = generateSigningSecret();
    await setCredential(sql, { name: "w2", type: "webhook_signing", secret: whsec });
    const signed = await resolveCredentialHeaders(sql, "w2", request);
    expect(verifyWebhookSignature(whsec, signed, request.body)).toMatchObject({ ok: true });
    expect(verifyWebhookSignature(whsec, signed, '{"a":2}')).toMatchObject({ ok: false });
    await expect(resolveCredentialHeaders(sql, "nobody", request)).rejects.toMatchObject({ code: "NOT_FOUND", details: { reason: "CREDENTIAL_NOT_FOUND" } });
  });

  it("validates types, settings and secrets", async () => {
    const { sql } = database();
    const bad = [
      { name: "x", type: "password", secret: "s" },
      { name: "x", type: "bearer", secret: "" },
      { name: "x", type: "bearer", secret: "abc\ndef" },
      { name: "x y", type: "bearer", secret: "abc" },
      { name: "x", type: "basic", secret: "pw" },
      { name: "x", type: "api_key", secret: "k", config: { header: "bad header" } },
      { name: "x", type: "bearer", secret: "k", config: { header: "x" } },
      { name: "x", type: "webhook_signing", secret: "not-whsec" },
      { name: "x", type: "oauth2_client_credentials", secret: "s", config: { tokenUrl: "ftp://auth", clientId: "c" } },
      { name: "x", type: "oauth2_client_credentials", secret: "s", config: { tokenUrl: "https://auth.example.com/token" } },
    ];
    for (const input of bad) await expect(setCredential(sql, input as never), JSON.stringify(input)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("replaces a credential on set (clearing any cached token) and refuses to delete one in use", async () => {
    const { sql } = database();
    await sql`update credentials set access_token_enc = 'v1:x', access_token_expires_at = now() + interval '1 hour' where name = 'o'`;
    await setCredential(sql, {
      name: "o",
      type: "oauth2_client_credentials",
      secret: "rotated-client-secret-6666",
      config: { tokenUrl: "https://auth.example.com/token", clientId: "flowport" },
    });
    expect(await getCredential(sql, "o")).toMatchObject({ masked: "••••6666", accessTokenExpiresAt: null });

    await setConnection(sql, { name: "uses-b", baseUrl: "https://api.example.com", credentialName: "b" });
    await expect(deleteCredential(sql, "b")).rejects.toMatchObject({ details: { reason: "CREDENTIAL_IN_USE", connections: ["uses-b"] } });
    await deleteCredential(sql, "short");
    await expect(getCredential(sql, "short")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
