import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { useTestDatabase } from "../testing/database";
import { setCredential } from "./credentials";
import { EXPIRY_SKEW_MS, getAccessToken, invalidateAccessToken } from "./oauth2";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();

// The token endpoint: /ok issues numbered tokens (slowly, to let concurrent callers overlap),
// /bad refuses the client, /down is unavailable.
let issued = 0;
const bodies: string[] = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    bodies.push(body);
    if (req.url === "/bad") return void res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid_client","error_description":"bad secret"}');
    if (req.url === "/down") return void res.writeHead(503).end("maintenance");
    issued += 1;
    setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: `tok-${issued}-zz`, expires_in: 120 })), 50);
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

const create = (name: string, path: string, config: Record<string, string> = {}) =>
  setCredential(database().sql, { name, type: "oauth2_client_credentials", secret: "client-secret-1234", config: { tokenUrl: `${base}${path}`, clientId: "fp", ...config } });

describe("OAuth2 client credentials", () => {
  it("caches the token until expiry minus the skew, then fetches a new one", async () => {
    const { sql } = database();
    await create("cached", "/ok");
    issued = 0;
    const t0 = new Date();
    const first = await getAccessToken(sql, "cached", { allowPrivate: true, now: () => t0 });
    expect(await getAccessToken(sql, "cached", { allowPrivate: true, now: () => t0 })).toBe(first);
    expect(issued).toBe(1);
    const [row] = await sql<{ access_token_expires_at: Date }[]>`select access_token_expires_at from credentials where name = 'cached'`;
    expect(row!.access_token_expires_at.getTime()).toBe(t0.getTime() + 120_000 - EXPIRY_SKEW_MS);

    const later = new Date(t0.getTime() + 120_000 - EXPIRY_SKEW_MS + 1);
    expect(await getAccessToken(sql, "cached", { allowPrivate: true, now: () => later })).not.toBe(first);
    expect(issued).toBe(2);
  });

  it("shares one token request between concurrent callers", async () => {
    const { sql } = database();
    await create("shared", "/ok");
    issued = 0;
    const tokens = await Promise.all([1, 2, 3].map(() => getAccessToken(sql, "shared", { allowPrivate: true })));
    expect(new Set(tokens).size).toBe(1);
    expect(issued).toBe(1);
  });

  it("invalidates only the token that was refused", async () => {
    const { sql } = database();
    await create("inv", "/ok");
    const token = await getAccessToken(sql, "inv", { allowPrivate: true });
    await invalidateAccessToken(sql, "inv", "some-older-token");
    expect(await getAccessToken(sql, "inv", { allowPrivate: true })).toBe(token);
    await invalidateAccessToken(sql, "inv", token);
    expect(await getAccessToken(sql, "inv", { allowPrivate: true })).not.toBe(token);
  });

  it("can send the client id and secret as form fields", async () => {
    const { sql } = database();
    await create("form", "/ok", { clientAuth: "body", audience: "https://api.example.com" });
    await getAccessToken(sql, "form", { allowPrivate: true });
    const form = new URLSearchParams(bodies.at(-1));
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      audience: "https://api.example.com",
      client_id: "fp",
      client_secret: "client-secret-1234",
    });
  });

  it("fails clearly: refused client not retryable, unavailable endpoint retryable, private token URL blocked", async () => {
    const { sql } = database();
    await create("bad", "/bad");
    await create("down", "/down");
    await expect(getAccessToken(sql, "bad", { allowPrivate: true })).rejects.toMatchObject({
      code: "EXTERNAL_ERROR",
      retryable: false,
      details: { reason: "OAUTH2_TOKEN", status: 401, error: "invalid_client", errorDescription: "bad secret" },
    });
    await expect(getAccessToken(sql, "down", { allowPrivate: true })).rejects.toMatchObject({ retryable: true, details: { status: 503 } });
    await expect(getAccessToken(sql, "down")).rejects.toMatchObject({ details: { reason: "BLOCKED_ADDRESS" } });
    await expect(getAccessToken(sql, "nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
