/**
 * After a full outgoing scenario with every credential type (including a retried attempt and an
 * OAuth2 token fetch), no plaintext secret is anywhere in the database — every row of every table
 * in `public` and `graphile_worker`, the logged request headers included — nor in the application
 * logs, at debug level.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FlowFile } from "@/flows/format";
import { resetEnvForTests } from "@/server/env";
import { startWorker, type WorkerHandle } from "@/server/jobs/runner";
import { logOptions } from "@/server/log";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { setConnection } from "./connections";
import { setCredential, type CredentialType } from "./credentials";
import { sendRecords, waitForDeliveries } from "./manual-send";
import { invoiceManualFlow, publish, startReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

// Every log line of this process, at debug level, with the app's own redaction.
const logLines: string[] = [];
(globalThis as typeof globalThis & Record<symbol, unknown>)[Symbol.for("flowport.logger")] = pino(
  logOptions("debug"),
  { write: (line: string) => void logLines.push(line) },
);

const database = useTestDatabase();
let receiver: Receiver;
let worker: WorkerHandle;

const ACCESS_TOKEN = `at_oauth_${randomBytes(12).toString("hex")}`;
const tokenServer = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: ACCESS_TOKEN, expires_in: 300 })));
});

const SECRETS: Record<CredentialType, string> = {
  api_key: `key_live_${randomBytes(12).toString("hex")}`,
  bearer: `tok_bearer_${randomBytes(12).toString("hex")}`,
  basic: `pw_basic_${randomBytes(12).toString("hex")}`,
  webhook_signing: `whsec_${randomBytes(32).toString("base64")}`,
  oauth2_client_credentials: `cs_oauth_${randomBytes(12).toString("hex")}`,
};
const TYPES = Object.keys(SECRETS) as CredentialType[];

/** The invoice flow through connection `conn-<type>`, whose auth node attaches credential `cred-<type>`. */
function flowFor(type: CredentialType): FlowFile {
  const flow = variantOf(invoiceManualFlow(), `push-${type.replace(/_/g, "-")}`, { connection: `conn-${type}` });
  (flow.nodes.find((n) => n.type === "auth")!.config as Record<string, unknown>).credential = `cred-${type}`;
  return flow;
}

beforeAll(async () => {
  const { sql, url } = database();
  receiver = await startReceiver();
  await new Promise<void>((resolve) => tokenServer.listen(0, "127.0.0.1", resolve));
  const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  const configs: Record<CredentialType, Record<string, string>> = {
    api_key: { header: "x-api-key" },
    bearer: {},
    basic: { username: "erp" },
    webhook_signing: {},
    oauth2_client_credentials: { tokenUrl, clientId: "flowport" },
  };
  for (const type of TYPES) {
    await setCredential(sql, { name: `cred-${type}`, type, secret: SECRETS[type], config: configs[type] });
    await setConnection(sql, { name: `conn-${type}`, baseUrl: receiver.url, allowPrivate: true, credentialName: `cred-${type}` });
    await publish(sql, flowFor(type));
  }
  worker = await startWorker({ url, sql });
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await new Promise<void>((resolve) => (tokenServer.closeAllConnections(), tokenServer.close(() => resolve())));
});

describe("secrets at rest", () => {
  it("leaves no plaintext secret in any table, the logged request headers or the logs", async () => {
    const sql = database().sql;
    const ids: string[] = [];
    const numbers = new Map<CredentialType, string>();
    for (const type of TYPES) {
      const number = `INV/S/${randomBytes(3).toString("hex")}`;
      numbers.set(type, number);
      // One failed attempt each, so the retry path (and its log entry) is part of the scenario.
      receiver.script(number, [{ status: 503 }]);
      const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100, Client_Name: "ABC" });
      ids.push(...(await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: flowFor(type).slug })));
    }
    const { done, deliveries } = await waitForDeliveries(sql, ids, 30_000);
    expect(done).toBe(true);
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual(TYPES.map(() => ["succeeded", 2]));

    // The secrets really were used: what each request carried.
    const basicValue = Buffer.from(`erp:${SECRETS.basic}`).toString("base64");
    const last = (type: CredentialType) => receiver.received.filter((r) => r.body.invoiceNumber === numbers.get(type)).at(-1)!.headers;
    expect(last("api_key")["x-api-key"]).toBe(SECRETS.api_key);
    expect(last("bearer").authorization).toBe(`Bearer ${SECRETS.bearer}`);
    expect(last("basic").authorization).toBe(`Basic ${basicValue}`);
    expect(last("webhook_signing")["webhook-signature"]).toMatch(/^v1,/);
    expect(last("oauth2_client_credentials").authorization).toBe(`Bearer ${ACCESS_TOKEN}`);

    const forbidden = [...Object.values(SECRETS), SECRETS.webhook_signing.slice("whsec_".length), ACCESS_TOKEN, basicValue];

    // Every row of every table, as text.
    const tables = await sql<{ schema: string; name: string }[]>`
      select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'graphile_worker') and c.relkind in ('r', 'p') order by 1, 2`;
    expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual(expect.arrayContaining(["public.credentials", "public.deliveries", "public.executions", "graphile_worker._private_jobs"]));
    let dump = "";
    for (const { schema, name } of tables) {
      const rows = await sql<{ row: string }[]>`select row_to_json(t)::text as row from ${sql(schema)}.${sql(name)} t`;
      dump += rows.map((r) => r.row).join("\n");
    }
    // The dump does hold the scenario: every delivery's key, the credentials' masks.
    for (const id of ids) expect(dump).toContain(`${id}:send`);
    for (const type of TYPES) expect(dump).toContain(SECRETS[type].slice(-4));
    for (const secret of forbidden) expect(dump).not.toContain(secret);

    // The logged request headers: correlation ids, never credentials.
    const logged = await sql<{ request: { headers: Record<string, string> } }[]>`select request from executions where delivery_id = any(${ids}::uuid[])`;
    expect(logged).toHaveLength(ids.length * 2);
    for (const { request } of logged) {
      expect(Object.keys(request.headers)).toEqual(expect.arrayContaining(["idempotency-key", "x-request-id"]));
      for (const name of ["authorization", "x-api-key", "webhook-signature"]) expect(request.headers[name]).toBeUndefined();
    }

    const logs = logLines.join("");
    expect(logs).toContain("outgoing request");
    for (const secret of forbidden) expect(logs).not.toContain(secret);
  });
});
