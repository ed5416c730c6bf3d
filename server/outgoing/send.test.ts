import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { generateSigningSecret, verifyWebhookSignature } from "@/server/incoming/webhook-signature";
import type { OutgoingRequest } from "@/server/engine/services";
import { useTestDatabase } from "../testing/database";
import { setConnection } from "./connections";
import { setCredential } from "./credentials";
import { createSender } from "./send";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

/** A local external system: records every request and answers through `respond`. */
function startServer(respond: (req: Received, res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      const entry = { method: req.method ?? "", url: req.url ?? "", headers: req.headers as Record<string, string | undefined>, body };
      received.push(entry);
      respond(entry, res);
    });
  });
  const ready = new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  return { received, ready, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

let tokensIssued = 0;
let rejectNextCall = false;
const api = startServer((req, res) => {
  if (req.url === "/token") {
    tokensIssued += 1;
    return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: `access-token-${tokensIssued}-q9`, token_type: "Bearer", expires_in: 3600 }));
  }
  if (req.url.startsWith("/oauth") && rejectNextCall) {
    rejectNextCall = false;
    return void res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid_token"}');
  }
  if (req.url === "/slow") return;
  res.writeHead(201, { "content-type": "application/json", "x-request-id": "r-1" }).end(JSON.stringify({ referenceId: "EXT-9" }));
});
let base = "";

const invoice = { invoiceNumber: "INV/2025/0045", invoiceDate: "2025-12-12", amount: 85000, customerName: "ABC Infrastructure" };
const request = (over: Partial<OutgoingRequest> = {}): OutgoingRequest => ({
  connection: "acct",
  method: "POST",
  path: "/api/v1/receive-data",
  headers: {},
  body: invoice,
  timeoutMs: 2000,
  ...over,
});

beforeAll(async () => {
  base = await api.ready;
});
afterAll(() => api.close());
beforeEach(() => {
  api.received.length = 0;
});

describe("createSender", () => {
  it("sends the JSON body once-serialized with merged headers and the Idempotency-Key", async () => {
    const { sql } = database();
    await setConnection(sql, { name: "acct", baseUrl: `${base}/`, defaultHeaders: { "X-Tenant": "acme", "X-Override": "connection" }, allowPrivate: true });
    const send = createSender(sql);
    const response = await send(request({ headers: { "x-override": "request" }, idempotencyKey: "exec-1:send" }));
    expect(response).toMatchObject({ status: 201, body: { referenceId: "EXT-9" }, bodyTruncated: false, remoteAddress: "127.0.0.1" });
    expect(response.headers["x-request-id"]).toBe("r-1");
    const got = api.received[0]!;
    expect(got).toMatchObject({ method: "POST", url: "/api/v1/receive-data", body: JSON.stringify(invoice) });
    expect(got.headers).toMatchObject({ "content-type": "application/json", "x-tenant": "acme", "x-override": "request", "idempotency-key": "exec-1:send" });

    await send(request({ method: "GET", path: "/status?id=1" }));
    expect(api.received[1]).toMatchObject({ method: "GET", url: "/status?id=1", body: "" });
  });

  it("fails with a non-retryable NOT_FOUND for an unknown connection, and refuses private targets without the override", async () => {
    const { sql } = database();
    const send = createSender(sql);
    await expect(send(request({ connection: "nowhere" }))).rejects.toMatchObject({ code: "NOT_FOUND", retryable: false });
    await setConnection(sql, { name: "guarded", baseUrl: base });
    await expect(send(request({ connection: "guarded" }))).rejects.toMatchObject({ code: "EXTERNAL_ERROR", retryable: false, details: { reason: "BLOCKED_ADDRESS" } });
    expect(api.received).toHaveLength(0);
  });

  it("times out with a retryable EXTERNAL_ERROR", async () => {
    const { sql } = database();
    const send = createSender(sql);
    const started = Date.now();
    await expect(send(request({ path: "/slow", timeoutMs: 250 }))).rejects.toMatchObject({ retryable: true, details: { reason: "TIMEOUT" } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("attaches each credential type as the server receives it", async () => {
    const { sql } = database();
    const whsec = generateSigningSecret();
    await setCredential(sql, { name: "key", type: "api_key", secret: "ak_live_0123456789abcd", config: { header: "X-Partner-Key" } });
    await setCredential(sql, { name: "bearer", type: "bearer", secret: "tok_0123456789wxyz" });
    await setCredential(sql, { name: "basic", type: "basic", secret: "s3cret-password-42", config: { username: "erp" } });
    await setCredential(sql, { name: "signing", type: "webhook_signing", secret: whsec });
    await setConnection(sql, { name: "acct", baseUrl: base, credentialName: "key", allowPrivate: true });
    const send = createSender(sql);

    await send(request());
    expect(api.received[0]!.headers["x-partner-key"]).toBe("ak_live_0123456789abcd");
    // The request's credential overrides the connection's.
    await send(request({ credential: "bearer" }));
    expect(api.received[1]!.headers.authorization).toBe("Bearer tok_0123456789wxyz");
    expect(api.received[1]!.headers["x-partner-key"]).toBeUndefined();
    await send(request({ credential: "basic" }));
    expect(api.received[2]!.headers.authorization).toBe(`Basic ${Buffer.from("erp:s3cret-password-42").toString("base64")}`);
    // Request headers cannot replace the credential's.
    await send(request({ credential: "bearer", headers: { Authorization: "Bearer forged" } }));
    expect(api.received[3]!.headers.authorization).toBe("Bearer tok_0123456789wxyz");

    await send(request({ credential: "signing", body: { ...invoice, note: "ünïcode ✓" } }));
    const signed = api.received[4]!;
    expect(verifyWebhookSignature(whsec, signed.headers, signed.body)).toMatchObject({ ok: true });
    expect(JSON.parse(signed.body)).toMatchObject({ note: "ünïcode ✓" });
  });

  it("OAuth2: one token for two sends, then refreshes once and retries once after a 401", async () => {
    const { sql } = database();
    await setCredential(sql, {
      name: "oauth",
      type: "oauth2_client_credentials",
      secret: "client-secret-0000-7777",
      config: { tokenUrl: `${base}/token`, clientId: "flowport", scope: "invoices.write" },
    });
    await setConnection(sql, { name: "acct", baseUrl: `${base}/oauth`, credentialName: "oauth", allowPrivate: true });
    const send = createSender(sql);
    tokensIssued = 0;

    expect((await send(request())).status).toBe(201);
    expect((await send(request())).status).toBe(201);
    expect(tokensIssued).toBe(1);
    const tokenCall = api.received.find((r) => r.url === "/token")!;
    expect(tokenCall.headers.authorization).toBe(`Basic ${Buffer.from("flowport:client-secret-0000-7777").toString("base64")}`);
    expect(new URLSearchParams(tokenCall.body).get("grant_type")).toBe("client_credentials");
    expect(new URLSearchParams(tokenCall.body).get("scope")).toBe("invoices.write");
    const apiCalls = () => api.received.filter((r) => r.url.startsWith("/oauth"));
    expect(apiCalls().map((r) => r.headers.authorization)).toEqual(["Bearer access-token-1-q9", "Bearer access-token-1-q9"]);

    rejectNextCall = true;
    const retried = await send(request({ idempotencyKey: "exec-2:send" }));
    expect(retried.status).toBe(201);
    expect(tokensIssued).toBe(2);
    expect(apiCalls().slice(2).map((r) => [r.headers.authorization, r.headers["idempotency-key"]])).toEqual([
      ["Bearer access-token-1-q9", "exec-2:send"],
      ["Bearer access-token-2-q9", "exec-2:send"],
    ]);

    // The cached token is stored encrypted, never as the token itself.
    const dump = JSON.stringify(await sql`select * from credentials where name = 'oauth'`);
    expect(dump).not.toContain("access-token-2-q9");
    expect(dump).not.toContain("client-secret-0000-7777");
  });
});
