/** connections.*: names and URLs for every role, credentials for credentials.manage only; secrets write-only. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCredentialHeaders } from "@/server/outgoing/credentials";
import { useTestDatabase } from "@/server/testing/database";
import { callerAs, codeOf } from "../testing/caller";

const database = useTestDatabase();
let server: http.Server;
let url = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(req.headers.authorization === "Bearer s3cret-token-WXYZ" ? 204 : 401);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("connections router", () => {
  it("keeps credentials from analysts and secrets from everyone", async () => {
    const { sql } = database();
    const admin = callerAs(sql, "admin");
    const analyst = callerAs(sql, "analyst");

    await expect(admin.connections.saveCredential({ name: "hook-token", type: "bearer" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Enter the secret/) });
    const saved = await admin.connections.saveCredential({ name: "hook-token", type: "bearer", secret: "s3cret-token-WXYZ", owner: "Hook Inc." });
    expect(saved).toMatchObject({ name: "hook-token", masked: "••••WXYZ", owner: "Hook Inc." });
    expect(JSON.stringify(saved)).not.toContain("s3cret");

    await admin.connections.save({ name: "hook", baseUrl: url, credentialName: "hook-token", allowPrivate: true, owner: "Hook Inc." });
    expect(await admin.connections.test({ name: "hook" })).toMatchObject({ ok: true, verdict: "reachable", httpStatus: 204 });

    // An edit without the secret keeps it.
    await admin.connections.saveCredential({ name: "hook-token", type: "bearer", owner: "Hook Inc. (ops)" });
    expect(await resolveCredentialHeaders(sql, "hook-token", { method: "POST", url, body: "" })).toEqual({ authorization: "Bearer s3cret-token-WXYZ" });
    await expect(admin.connections.saveCredential({ name: "hook-token", type: "basic", config: { username: "u" } })).rejects.toMatchObject({ message: expect.stringMatching(/needs its new secret/) });
    await admin.connections.saveCredential({ name: "hook-token", type: "bearer", secret: "rotated-token-0000" });
    expect(await admin.connections.test({ name: "hook" })).toMatchObject({ ok: false, verdict: "credential_refused", httpStatus: 401 });

    // Analysts (and viewers) read connections and credential names; nothing of the credentials themselves.
    expect((await analyst.connections.list()).map((c) => c.name)).toEqual(["hook"]);
    expect(await analyst.connections.credentialNames()).toEqual(["hook-token"]);
    for (const call of [
      analyst.connections.credentials(),
      analyst.connections.saveCredential({ name: "x", type: "bearer", secret: "y" }),
      analyst.connections.deleteCredential({ name: "hook-token" }),
      analyst.connections.save({ name: "x", baseUrl: "https://example.com" }),
      analyst.connections.delete({ name: "hook" }),
      analyst.connections.test({ name: "hook" }),
    ]) {
      expect(await codeOf(call)).toBe("FORBIDDEN");
    }

    // No answer carries a secret or its ciphertext.
    const [row] = await sql<{ secret_enc: string }[]>`select secret_enc from credentials where name = 'hook-token'`;
    const answers = JSON.stringify([await admin.connections.list(), await admin.connections.get({ name: "hook" }), await admin.connections.credentials(), await admin.connections.credentialNames()]);
    for (const s of ["s3cret-token-WXYZ", "rotated-token-0000", row!.secret_enc]) expect(answers).not.toContain(s);

    await expect(admin.connections.save({ name: "bad", baseUrl: "ftp://x", allowPrivate: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.connections.save({ name: "bad", baseUrl: "https://x.example", defaultHeaders: { Authorization: "Bearer leak" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/use a credential for secrets/),
    });
    await expect(admin.connections.deleteCredential({ name: "hook-token" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/used by connection/) });
    await admin.connections.delete({ name: "hook" });
    await admin.connections.deleteCredential({ name: "hook-token" });

    const audit = await sql<{ action: string; details: unknown }[]>`select action, details from audit_log order by id`;
    expect(audit.map((a) => a.action)).toEqual([
      "credential.created",
      "connection.saved",
      "credential.updated",
      "credential.updated",
      "connection.deleted",
      "credential.deleted",
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/s3cret|rotated-token/);
  });
});
