import { randomBytes, randomUUID } from "node:crypto";
import postgres from "postgres";
import { describe, expect, it, vi } from "vitest";
import type { IncomingAuthMethod } from "@/flows/nodes/auth/definition";
import { FlowError } from "@/server/engine/errors";
import { resetEnvForTests } from "@/server/env";
import { generateToken } from "@/server/secrets/api-tokens";
import { useTestDatabase } from "../testing/database";
import { createClient, revokeClient, revokeCredential, rotateCredentials, updateClient, type CreateClientInput } from "./clients";
import { incomingAuthServices, verifyIncomingCall, type IncomingCall } from "./inbound-auth";
import { webhookHeaders } from "./webhook-signature";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
const FLOW = "vendor-master";

function call(headers: Record<string, string>, overrides: Partial<IncomingCall> = {}) {
  const { sql } = database();
  return verifyIncomingCall(sql, { headers, flowSlug: FLOW, methods: ["api_key", "bearer"], rawBody: "{}", remoteAddress: "127.0.0.1", ...overrides });
}

/** The refusal as the HTTP layer sees it. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    return { code: error.code, status: error.httpStatus, message: error.message, details: error.details };
  }
  throw new Error("expected the call to be refused");
}

let counter = 0;
async function client(input: Partial<CreateClientInput> = {}) {
  const { sql } = database();
  const created = await createClient(sql, { name: `client-${++counter}`, flowScopes: [FLOW], credentialKind: "both", ...input });
  const token = (kind: "api_key" | "bearer") => created.credentials.find((c) => c.kind === kind)?.token ?? "";
  return { ...created, apiKey: token("api_key"), bearer: token("bearer") };
}

const keyHeader = (key: string) => ({ "x-api-key": key });
const bearerHeader = (token: string) => ({ authorization: `Bearer ${token}` });

describe("incoming call authentication", () => {
  it("accepts a valid API key or bearer token, and names the client", async () => {
    const c = await client();
    expect(await call(keyHeader(c.apiKey))).toMatchObject({ clientId: c.client.id, clientName: c.client.name, method: "api_key" });
    expect(await call(bearerHeader(c.bearer))).toMatchObject({ clientId: c.client.id, method: "bearer" });
    expect(await call({ authorization: `bearer   ${c.bearer}  ` })).toMatchObject({ clientId: c.client.id });
    // Only the accepted methods count.
    expect(await refusal(call(keyHeader(c.apiKey), { methods: ["bearer"] }))).toMatchObject({ status: 401, message: "Missing bearer token" });
    expect(await refusal(call(bearerHeader(c.bearer), { methods: ["api_key"] }))).toMatchObject({ status: 401, message: "Missing API key" });
  });

  it("answers 401 with a challenge when credentials are missing or empty", async () => {
    const cases: Record<string, string>[] = [{}, { "x-api-key": "" }, { "x-api-key": "   " }, { authorization: "Bearer " }, { authorization: "Basic dXNlcjpwYXNz" }];
    for (const headers of cases) {
      const refused = await refusal(call(headers));
      expect(refused).toMatchObject({ code: "AUTH_FAILED", status: 401, message: "Missing API key or bearer token" });
      expect(refused.details.wwwAuthenticate).toBe('Bearer realm="flowport", ApiKey realm="flowport", header="x-api-key"');
      expect(refused.details.reason).toBeUndefined(); // the HTTP layer answers errorCode AUTH_FAILED
    }
  });

  it("refuses malformed, unknown and wrong-secret credentials alike", async () => {
    const c = await client();
    const unknown = generateToken("api_key").token;
    const wrongSecret = `${c.apiKey.slice(0, 13)}${randomBytes(32).toString("base64url")}`;
    for (const key of ["abc", unknown, wrongSecret, c.bearer, `${c.apiKey}x`]) {
      expect(await refusal(call(keyHeader(key)))).toMatchObject({ status: 401, message: "Invalid API key" });
    }
    const bad = await refusal(call(bearerHeader(`${c.bearer.slice(0, 13)}${randomBytes(32).toString("base64url")}`)));
    expect(bad).toMatchObject({ status: 401, message: "Invalid bearer token" });
    expect(bad.details.wwwAuthenticate).toContain('Bearer realm="flowport", error="invalid_token"');
  });

  it("refuses expired and revoked credentials and disabled clients, on the very next request", async () => {
    const { sql } = database();
    const c = await client();
    await call(keyHeader(c.apiKey));
    await sql`update api_credentials set expires_at = now() - interval '1 second' where prefix = ${c.credentials[0]!.prefix}`;
    expect(await refusal(call(keyHeader(c.apiKey)))).toMatchObject({ status: 401, message: "Credential expired" });

    await call(bearerHeader(c.bearer));
    await revokeCredential(sql, c.credentials[1]!.prefix);
    expect(await refusal(call(bearerHeader(c.bearer)))).toMatchObject({ status: 401, message: "Credential revoked" });

    const d = await client();
    await updateClient(sql, d.client.name, { active: false });
    expect(await refusal(call(keyHeader(d.apiKey)))).toMatchObject({ status: 401, message: "API client disabled" });
    await revokeClient(sql, d.client.name);
    expect(await refusal(call(keyHeader(d.apiKey)))).toMatchObject({ status: 401, message: "Credential revoked" });
  });

  it("answers 403 for a flow outside the client's scopes; * admits every flow", async () => {
    const c = await client();
    const refused = await refusal(call(keyHeader(c.apiKey), { flowSlug: "invoice-to-accounting" }));
    expect(refused).toMatchObject({ code: "AUTH_FAILED", status: 403, message: "This API client may not call invoice-to-accounting" });
    expect(refused.details).toMatchObject({ reason: "FORBIDDEN_FLOW", clientName: c.client.name });
    const all = await client({ flowScopes: ["*"] });
    expect(await call(keyHeader(all.apiKey), { flowSlug: "invoice-to-accounting" })).toMatchObject({ clientId: all.client.id });
  });

  it("keeps old and new credentials valid during a rotation's overlap, and only the new one after", async () => {
    const { sql } = database();
    const c = await client({ credentialKind: "api_key" });
    const rotated = await rotateCredentials(sql, c.client.name, { overlapHours: 24 });
    const fresh = rotated.credentials[0]!.token;
    expect(await call(keyHeader(c.apiKey))).toMatchObject({ clientId: c.client.id });
    expect(await call(keyHeader(fresh))).toMatchObject({ clientId: c.client.id });
    await sql`update api_credentials set expires_at = now() - interval '1 second' where prefix = ${rotated.retiring[0]!.prefix}`;
    expect(await refusal(call(keyHeader(c.apiKey)))).toMatchObject({ status: 401, message: "Credential expired" });
    expect(await call(keyHeader(fresh))).toMatchObject({ clientId: c.client.id });
  });

  it("admits only allowlisted addresses, IPv4, IPv6 and IPv4-mapped", async () => {
    const c = await client({ ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] });
    for (const remoteAddress of ["203.0.113.9", "::ffff:203.0.113.9", "2001:db8::42"]) {
      expect(await call(keyHeader(c.apiKey), { remoteAddress })).toMatchObject({ clientId: c.client.id });
    }
    for (const remoteAddress of ["198.51.100.1", "::ffff:198.51.100.1", "2001:db9::1", "::1", ""]) {
      const refused = await refusal(call(keyHeader(c.apiKey), { remoteAddress }));
      expect(refused).toMatchObject({ status: 403, details: { reason: "IP_NOT_ALLOWED" } });
    }
  });

  it("answers 429 with Retry-After once the client's per-minute limit is spent", async () => {
    const { sql } = database();
    const c = await client({ rateLimitPerMinute: 3 });
    const [row] = await sql<{ second: number }[]>`select extract(second from now())::float8 as second`;
    if (row!.second > 55) await new Promise((r) => setTimeout(r, (61 - row!.second) * 1000)); // one window for all four
    for (let i = 0; i < 3; i++) await call(keyHeader(c.apiKey));
    const refused = await refusal(call(keyHeader(c.apiKey)));
    expect(refused).toMatchObject({ code: "AUTH_FAILED", status: 429, details: { reason: "RATE_LIMITED", limit: 3 } });
    expect(refused.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    const other = await client({ rateLimitPerMinute: 3 });
    expect(await call(keyHeader(other.apiKey))).toMatchObject({ clientId: other.client.id });
  });

  it("writes last_used_at at most once a minute per credential", async () => {
    const { sql } = database();
    const c = await client();
    const prefix = c.credentials[0]!.prefix;
    const lastUsed = async () =>
      (await sql<{ credential: Date | null; client: Date | null }[]>`
        select c.last_used_at as credential, k.last_used_at as client
        from api_credentials c join api_clients k on k.id = c.client_id where c.prefix = ${prefix}`)[0]!;
    expect(await lastUsed()).toEqual({ credential: null, client: null });
    await call(keyHeader(c.apiKey));
    const first = await lastUsed();
    expect(first.credential).toBeInstanceOf(Date);
    expect(first.client).toBeInstanceOf(Date);

    await sql`update api_credentials set last_used_at = now() - interval '30 seconds' where prefix = ${prefix}`;
    const recent = (await lastUsed()).credential!;
    await call(keyHeader(c.apiKey));
    expect((await lastUsed()).credential).toEqual(recent); // within the minute: no write

    await sql`update api_credentials set last_used_at = now() - interval '2 minutes' where prefix = ${prefix}`;
    await call(keyHeader(c.apiKey));
    expect((await lastUsed()).credential!.getTime()).toBeGreaterThan(recent.getTime());
  });

  it("costs one query on the usual call, two with a rate limit (the throughput budget)", async () => {
    const { url } = database();
    const statements: string[] = [];
    const counted = postgres(url, { max: 1, onnotice: () => undefined, debug: (_connection, query) => statements.push(query) });
    try {
      const plain = await client();
      const limited = await client({ rateLimitPerMinute: 1000 });
      await call(keyHeader(plain.apiKey)); // first use writes last_used_at
      await call(keyHeader(limited.apiKey));
      await counted`select 1`; // connection set-up (type lookups) is not the call's cost
      statements.length = 0;
      const verifyWith = (key: string) =>
        verifyIncomingCall(counted, { headers: keyHeader(key), flowSlug: FLOW, methods: ["api_key"], remoteAddress: "127.0.0.1" });
      await verifyWith(plain.apiKey);
      expect(statements).toHaveLength(1);
      // The limit's upsert sweeps old windows on 1 % of calls (rate-limit.ts): CI once drew one (3 statements).
      const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
      statements.length = 0;
      await verifyWith(limited.apiKey);
      expect(statements).toHaveLength(2);
      random.mockReturnValue(0);
      statements.length = 0;
      await verifyWith(limited.apiKey);
      expect(statements).toHaveLength(3);
      expect(statements[2]).toContain("delete from rate_limit_windows");
      random.mockRestore();
      // A malformed key is refused without touching the database.
      statements.length = 0;
      await expect(verifyWith("fpk_nonsense")).rejects.toMatchObject({ httpStatus: 401 });
      expect(statements).toHaveLength(0);
    } finally {
      await counted.end({ timeout: 5 });
    }
  });

  describe("Standard Webhooks signatures", () => {
    const body = '{"vendorName":"ABC Suppliers"}';
    const signed = (secret: string, overrides: { id?: string; at?: Date; body?: string } = {}) =>
      webhookHeaders(secret, overrides.id ?? `msg_${randomUUID()}`, overrides.body ?? body, overrides.at);

    it("accepts a key with a valid signature when the client requires one, and refuses it without", async () => {
      const c = await client({ requireSignature: true });
      const secret = c.signingSecret!;
      expect(await call({ ...keyHeader(c.apiKey), ...signed(secret) }, { rawBody: body })).toMatchObject({ clientId: c.client.id });

      const missing = await refusal(call(keyHeader(c.apiKey), { rawBody: body }));
      expect(missing).toMatchObject({ status: 401, details: { failure: "SIGNATURE_MISSING" } });
      expect(missing.details.wwwAuthenticate).toContain('StandardWebhooks realm="flowport"');

      const tampered = await refusal(call({ ...keyHeader(c.apiKey), ...signed(secret) }, { rawBody: '{"vendorName":"Evil"}' }));
      expect(tampered).toMatchObject({ status: 401, message: "Invalid webhook signature", details: { failure: "SIGNATURE_INVALID" } });
      const otherSecret = await client({ withSigningSecret: true });
      const wrong = await refusal(call({ ...keyHeader(c.apiKey), ...signed(otherSecret.signingSecret!) }, { rawBody: body }));
      expect(wrong).toMatchObject({ status: 401, details: { failure: "SIGNATURE_INVALID" } });
    });

    it("refuses stale or future timestamps and replayed message ids", async () => {
      const c = await client({ requireSignature: true });
      const secret = c.signingSecret!;
      for (const offset of [-600_000, 600_000]) {
        const stale = await refusal(call({ ...keyHeader(c.apiKey), ...signed(secret, { at: new Date(Date.now() + offset) }) }, { rawBody: body }));
        expect(stale).toMatchObject({ status: 401, details: { failure: "SIGNATURE_STALE" } });
      }
      const headers = { ...keyHeader(c.apiKey), ...signed(secret, { id: "msg_once" }) };
      await call(headers, { rawBody: body });
      const replayed = await refusal(call(headers, { rawBody: body }));
      expect(replayed).toMatchObject({ status: 401, details: { failure: "SIGNATURE_REPLAYED" } });
      // Another client may use the same id: ids are per sender.
      const d = await client({ requireSignature: true });
      expect(await call({ ...keyHeader(d.apiKey), ...signed(d.signingSecret!, { id: "msg_once" }) }, { rawBody: body })).toMatchObject({
        clientId: d.client.id,
      });
    });

    it("identifies the client by its signature alone on a signature-only flow", async () => {
      const methods: IncomingAuthMethod[] = ["signature"];
      await client({ withSigningSecret: true }); // another signer, tried and passed over
      const c = await client({ withSigningSecret: true });
      const verified = await call(signed(c.signingSecret!), { methods, rawBody: body });
      expect(verified).toMatchObject({ clientId: c.client.id, method: "signature" });
      expect(verified.credentialPrefix).toBeUndefined();

      expect(await refusal(call({}, { methods }))).toMatchObject({ status: 401, message: "Missing webhook signature" });
      const stranger = `whsec_${randomBytes(32).toString("base64")}`;
      expect(await refusal(call(signed(stranger), { methods, rawBody: body }))).toMatchObject({ status: 401, message: "Invalid webhook signature" });
      const outOfScope = await refusal(call(signed(c.signingSecret!), { methods, rawBody: body, flowSlug: "other-flow" }));
      expect(outOfScope).toMatchObject({ status: 403, details: { reason: "FORBIDDEN_FLOW" } });
      // A key is ignored on a flow that accepts signatures only.
      expect(await refusal(call(keyHeader(c.apiKey), { methods }))).toMatchObject({ status: 401 });
    });

    it("checks a signature the caller sends on a flow that accepts signatures, even when not required", async () => {
      const c = await client({ withSigningSecret: true });
      const methods: IncomingAuthMethod[] = ["api_key", "signature"];
      expect(await call({ ...keyHeader(c.apiKey), ...signed(c.signingSecret!) }, { methods, rawBody: body })).toMatchObject({ clientId: c.client.id });
      const bad = await refusal(call({ ...keyHeader(c.apiKey), ...signed(c.signingSecret!) }, { methods, rawBody: "{}" }));
      expect(bad).toMatchObject({ status: 401, details: { failure: "SIGNATURE_INVALID" } });
      expect(await call(keyHeader(c.apiKey), { methods })).toMatchObject({ clientId: c.client.id });
    });
  });

  it("serves as the engine's auth service", async () => {
    const { sql } = database();
    const c = await client();
    const services = incomingAuthServices(sql, { remoteAddress: "127.0.0.1" });
    const verified = await services.verifyIncoming({ methods: ["api_key"], headers: keyHeader(c.apiKey), flowSlug: FLOW, toleranceSeconds: 300 });
    expect(verified).toMatchObject({ clientId: c.client.id, clientName: c.client.name });
  });
});
