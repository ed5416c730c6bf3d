/**
 * A real HTTP server running the incoming endpoints on a test database, with the
 * demo ERP data, the example flows published and an API client: what external
 * systems call, minus Next (which the integration paths bypass anyway).
 */
import http from "node:http";
import { afterAll, beforeAll } from "vitest";
import type { AddressInfo } from "node:net";
import type { Database } from "../db/client";
import { createClient } from "../incoming/clients";
import { handleIncoming } from "../incoming/handle-incoming";
import { seedOnFirstRun } from "../seed";
import { erpDemoSeeder } from "../seed/erp-demo";
import { exampleFlowsSeeder } from "../seed/example-flows";

export interface IncomingTestServer {
  url: string;
  apiKey: string;
  bearerToken: string;
  close(): Promise<void>;
  post(slug: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }>;
}

export async function startIncomingTestServer(database: Database): Promise<IncomingTestServer> {
  await seedOnFirstRun(database, [erpDemoSeeder, exampleFlowsSeeder]);
  const { credentials } = await createClient(database.sql, { name: "test-client", flowScopes: ["*"], credentialKind: "both" });
  const server = http.createServer((req, res) => void handleIncoming(database.sql, req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/integration/incoming`;
  const apiKey = credentials.find((c) => c.kind === "api_key")!.token;
  return {
    url,
    apiKey,
    bearerToken: credentials.find((c) => c.kind === "bearer")!.token,
    async post(slug, body, headers = {}) {
      const res = await fetch(slug ? `${url}/${slug}` : url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": apiKey, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The incoming server for one test file's database, started before its tests and closed after:
 * the object is filled in `beforeAll`, so tests use it as they would the started server.
 */
export function useIncomingTestServer(database: () => Database): IncomingTestServer {
  const api = {} as IncomingTestServer;
  beforeAll(async () => {
    Object.assign(api, await startIncomingTestServer(database()));
  });
  afterAll(async () => {
    await api.close?.();
  });
  return api;
}
