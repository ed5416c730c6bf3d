import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/server/testing/database";
import { setConnection } from "./connections";
import { setCredential, updateCredentialSettings, getCredential } from "./credentials";
import { testConnection } from "./test-connection";

const database = useTestDatabase();

// A receiver that accepts only the right bearer token and remembers what it was sent.
const seen: { method: string; url: string; authorization?: string; body: string }[] = [];
let server: http.Server;
let url = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, body });
      res.writeHead(req.headers.authorization === "Bearer right-token-1234" ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify({ secretish: "never returned" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("testConnection", () => {
  it("sends one bodiless GET with the connection's credential and reports the verdict only", async () => {
    const { sql } = database();
    await setCredential(sql, { name: "good", type: "bearer", secret: "right-token-1234" });
    await setCredential(sql, { name: "bad", type: "bearer", secret: "wrong-token-9999" });
    await setConnection(sql, { name: "ok-conn", baseUrl: url, credentialName: "good", allowPrivate: true });
    await setConnection(sql, { name: "refused-conn", baseUrl: url, credentialName: "bad", allowPrivate: true });
    await setConnection(sql, { name: "guarded-conn", baseUrl: url, credentialName: "good" });

    const ok = await testConnection(sql, "ok-conn");
    expect(ok).toMatchObject({ ok: true, verdict: "reachable", httpStatus: 200 });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/api", authorization: "Bearer right-token-1234", body: "" });
    expect(JSON.stringify(ok)).not.toContain("right-token");
    expect(JSON.stringify(ok)).not.toContain("never returned");

    expect(await testConnection(sql, "refused-conn")).toMatchObject({ ok: false, verdict: "credential_refused", httpStatus: 401 });

    // Without allowPrivate the SSRF guard refuses loopback before any request is made.
    const before = seen.length;
    const guarded = await testConnection(sql, "guarded-conn");
    expect(guarded).toMatchObject({ ok: false, verdict: "unreachable", httpStatus: null });
    expect(seen.length).toBe(before);

    await expect(testConnection(sql, "missing")).rejects.toThrow(/No connection named "missing"/);
  });

  it("edits a credential's settings without its secret", async () => {
    const { sql } = database();
    await setCredential(sql, { name: "portal", type: "api_key", secret: "portal-secret-abcd", config: { header: "x-api-key" } });
    const edited = await updateCredentialSettings(sql, "portal", { config: { header: "x-portal-key" }, owner: "Portal team" });
    expect(edited).toMatchObject({ config: { header: "x-portal-key" }, owner: "Portal team", masked: "••••abcd" });
    await expect(updateCredentialSettings(sql, "portal", { config: { username: "x" } })).rejects.toThrow(/Invalid api_key credential settings/);
    expect((await getCredential(sql, "portal")).config).toEqual({ header: "x-portal-key" });
  });
});
