import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { useTestDatabase } from "../testing/database";
import { deleteConnection, getConnection, joinUrl, listConnections, setConnection } from "./connections";
import { setCredential } from "./credentials";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();

describe("connections", () => {
  it("creates with defaults, replaces on set, lists, and deletes", async () => {
    const { sql } = database();
    const created = await setConnection(sql, { name: "accounting", baseUrl: "https://external-system.com/api/v1" });
    expect(created).toMatchObject({
      name: "accounting",
      baseUrl: "https://external-system.com/api/v1",
      method: "POST",
      defaultHeaders: {},
      credentialName: null,
      timeoutMs: 10_000,
      retryScheduleMs: null,
      maxAttempts: null,
      allowPrivate: false,
      followRedirects: false,
      owner: "external",
    });

    await setCredential(sql, { name: "acct-key", type: "api_key", secret: "ak_live_0123456789abcd" });
    const replaced = await setConnection(sql, {
      name: "accounting",
      baseUrl: "https://external-system.com/api/v2",
      method: "put",
      defaultHeaders: { "X-Tenant": "acme" },
      credentialName: "acct-key",
      timeoutMs: 5000,
      retryScheduleMs: [500, 10_000],
      maxAttempts: 3,
      followRedirects: true,
      owner: "Acme accounting",
    });
    expect(replaced).toMatchObject({ id: created.id, method: "PUT", defaultHeaders: { "X-Tenant": "acme" }, credentialName: "acct-key", timeoutMs: 5000 });
    expect(replaced).toMatchObject({ retryScheduleMs: [500, 10_000], maxAttempts: 3 });

    await setConnection(sql, { name: "crm", baseUrl: "http://crm.example.com" });
    expect((await listConnections(sql)).map((c) => c.name)).toEqual(["accounting", "crm"]);
    await deleteConnection(sql, "crm");
    await expect(getConnection(sql, "crm")).rejects.toMatchObject({ code: "NOT_FOUND", retryable: false, details: { reason: "CONNECTION_NOT_FOUND" } });
    await expect(deleteConnection(sql, "crm")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("names an unknown credential clearly", async () => {
    const { sql } = database();
    const error = await setConnection(sql, { name: "x", baseUrl: "https://a.example.com", credentialName: "missing" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NOT_FOUND", details: { reason: "CREDENTIAL_NOT_FOUND", name: "missing" } });
    expect((error as Error).message).toContain('No credential named "missing"');
  });

  it.each([
    [{ baseUrl: "ftp://a.example.com" }, /only http and https/],
    [{ baseUrl: "not a url" }, /not a valid absolute URL/],
    [{ baseUrl: "https://user:pw@a.example.com" }, /credential/],
    [{ defaultHeaders: { "bad header": "x" } }, /header name/],
    [{ defaultHeaders: { "x-ok": "a\r\nInjected: 1" } }, /line breaks/],
    [{ defaultHeaders: { Authorization: "Bearer t" } }, /use a credential/],
    [{ method: "TRACE" }, /method/],
    [{ timeoutMs: 10 }, /timeoutMs/],
    [{ name: "bad name" }, /name/],
  ])("refuses %o", async (override, message) => {
    const { sql } = database();
    await expect(setConnection(sql, { name: "bad", baseUrl: "https://a.example.com", ...override })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(message),
    });
  });

  it("joins base URL and path with one slash, keeps queries, and never leaves the origin", () => {
    expect(joinUrl("https://x.com/api/v1", "/receive-data")).toBe("https://x.com/api/v1/receive-data");
    expect(joinUrl("https://x.com/api/v1/", "receive-data")).toBe("https://x.com/api/v1/receive-data");
    expect(joinUrl("https://x.com", "/a")).toBe("https://x.com/a");
    expect(joinUrl("https://x.com/api", "")).toBe("https://x.com/api");
    expect(joinUrl("https://x.com/api?v=2", "/items?page=1")).toBe("https://x.com/api/items?v=2&page=1");
    expect(joinUrl("https://x.com/api", "//evil.com/x")).toBe("https://x.com/api/evil.com/x");
    expect(joinUrl("https://x.com/api", "http://evil.com/")).toMatch(/^https:\/\/x\.com\/api\/http:/);
  });
});
