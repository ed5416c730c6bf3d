/**
 * The error table, once per code, across the three ways out: the tRPC route over HTTP (status, code,
 * appCode, message), the incoming API's refusals, and the CLI (exit code, --json code). Then real
 * causes driven through the real paths — a duplicate, a missing flow, a validation failure, an
 * upstream 502 on Send to API, a dry-run timeout — surface with the same code everywhere.
 */
import { randomBytes } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { APP_ERRORS, appErrorMessage, EXIT, isAppErrorCode, type AppErrorCode } from "@/flows/app-errors";
import { loadExampleFlows } from "@/flows/examples";
import { describeError } from "@/server/cli/errors";
import { closeDraftPool } from "@/server/drafts/draft-pool";
import { FLOW_ERROR_STATUS, FlowError, type FlowErrorCode } from "@/server/engine/errors";
import { resetEnvForTests } from "@/server/env";
import { HttpProblem, MAX_BODY_BYTES } from "@/server/incoming/http-io";
import { openApiForPublishedFlows } from "@/server/incoming/openapi";
import { setConnection } from "@/server/outgoing/connections";
import { deliverOnce } from "@/server/outgoing/deliver";
import { invoiceManualFlow, publish, startAccountingReceiver, type Receiver } from "@/server/outgoing/testing-receiver";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "@/server/testing/database";
import { startIncomingTestServer, type IncomingTestServer } from "@/server/testing/incoming-server";
import { childEnv, spawnNode } from "@/server/testing/processes";
import { createContext, publicProcedure, router } from "@/server/trpc/init";
import { callerAs } from "@/server/trpc/testing/caller";
import { AppError } from "./app-error";
import { toTRPCError } from "./to-app-error";

const database = useTestDatabase();
const CODES = Object.keys(APP_ERRORS) as AppErrorCode[];

/** A procedure that throws the AppError it is asked for, served by tRPC's own fetch adapter with our middleware and formatter. */
const throwingRouter = router({
  fail: publicProcedure.input(z.string()).query(({ input }) => {
    if (!isAppErrorCode(input)) throw new Error(`no code ${input}`);
    throw new AppError(input);
  }),
});

async function overTrpcHttp(code: AppErrorCode) {
  // superjson's envelope on the wire (server/trpc/init.ts), both ways.
  const url = `http://localhost/api/trpc/fail?input=${encodeURIComponent(JSON.stringify(superjson.serialize(code)))}`;
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url),
    router: throwingRouter,
    createContext: () => createContext({ sql: database().sql, user: null }),
  });
  const body = (await response.json()) as { error: { json: { message: string; data: { code: string; appCode: string | null } } } };
  return { status: response.status, error: body.error.json };
}

describe("the error table", () => {
  it("has a stable code, an HTTP error status, a known tRPC code, a defined exit code and a message for every entry", () => {
    const exits = new Set<number>(Object.values(EXIT));
    for (const code of CODES) {
      const spec = APP_ERRORS[code];
      expect(code, code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(spec.httpStatus >= 400 && spec.httpStatus < 600, code).toBe(true);
      expect(exits.has(spec.exitCode), code).toBe(true);
      expect(spec.message.length, code).toBeGreaterThan(0);
      // tRPC knows the code (it answers 500 for one it does not).
      const trpcStatus = getHTTPStatusCodeFromError(new TRPCError({ code: spec.trpcCode }));
      expect(trpcStatus === 500, code).toBe(spec.trpcCode === "INTERNAL_SERVER_ERROR");
    }
  });

  it.each(CODES)("%s: the tRPC route answers its tRPC code and appCode; the CLI its exit code; the incoming API its status", async (code) => {
    const spec = APP_ERRORS[code];

    const trpc = await overTrpcHttp(code);
    expect(trpc.error.data.code).toBe(spec.trpcCode);
    expect(trpc.status).toBe(getHTTPStatusCodeFromError(new TRPCError({ code: spec.trpcCode })));
    expect(trpc.error.data.appCode).toBe(code);
    // The message is the table's, except an internal error's, which is never shown.
    if (spec.trpcCode === "INTERNAL_SERVER_ERROR") expect(trpc.error.message).toBe("Something went wrong on the server. The error is logged.");
    else expect(trpc.error.message).toBe(appErrorMessage(code));

    expect(describeError(new AppError(code))).toEqual({ code, message: appErrorMessage(code), exitCode: spec.exitCode });

    const problem = new HttpProblem(code);
    expect(problem.httpStatus).toBe(spec.httpStatus);
    expect(problem.message).toBe(appErrorMessage(code));
  });

  it("gives the engine's FlowError codes the table's status and default message", () => {
    for (const [code, status] of Object.entries(FLOW_ERROR_STATUS) as [FlowErrorCode, number][]) {
      expect(status, code).toBe(APP_ERRORS[code].httpStatus);
      expect(new FlowError(code).message, code).toBe(APP_ERRORS[code].message);
    }
  });

  it("fills placeholders, and leaves an unnamed one as it is", () => {
    expect(appErrorMessage("FORBIDDEN_FLOW", { flowSlug: "vendor-master" })).toBe("This API client may not call vendor-master");
    expect(appErrorMessage("PAYLOAD_TOO_LARGE")).toBe("Request body exceeds {kib} KiB");
  });

  it("keeps an unexpected error's message from the console and logs it", async () => {
    const secretish = "connection to 10.0.0.7 refused (password=hunter2)";
    const broken = router({ fail: publicProcedure.query(() => Promise.reject(new Error(secretish))) });
    const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request("http://localhost/api/trpc/fail"), router: broken, createContext: () => createContext({ sql: database().sql, user: null }) });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toMatchObject({ error: { json: { data: { code: "INTERNAL_SERVER_ERROR", appCode: "INTERNAL_ERROR" } } } });
    expect(describeError(new Error(secretish)).exitCode).toBe(EXIT.INTERNAL);
  });
});

describe("real causes surface with the same code everywhere", () => {
  let api: IncomingTestServer;
  let receiver: Receiver;
  const flowport = async (...args: string[]) => {
    const run = spawnNode(["bin/flowport.js", ...args], childEnv({ DATABASE_URL: database().url }));
    const code = await run.exited;
    const out = run.output();
    return { code, json: JSON.parse(out.slice(out.indexOf("{"))) as { ok: boolean; error?: { code: string; message: string } } };
  };

  beforeAll(async () => {
    api = await startIncomingTestServer(database());
    receiver = await startAccountingReceiver(database().sql);
    await publish(database().sql, invoiceManualFlow());
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  it("a duplicate is DUPLICATE_RECORD: 409 on the API, CONFLICT in the console, exit 4 from the CLI", { timeout: 60_000 }, async () => {
    const vendor = { vendorName: "Dup Traders", gstNumber: "27ABCDE7777F1Z5", contactPerson: "R", mobile: "9876543210", email: "d@x.com", city: "Mumbai" };
    expect((await api.post("vendor-master", vendor)).status).toBe(200);
    const again = await api.post("vendor-master", vendor);
    expect(again.status).toBe(APP_ERRORS.DUPLICATE_RECORD.httpStatus);
    expect(again.json.errorCode).toBe("DUPLICATE_RECORD");

    const admin = callerAs(database().sql, "admin");
    await admin.clients.create({ name: "dup-client", flowScopes: ["*"], credentialKind: "api_key" });
    const refused = await admin.clients.create({ name: "dup-client", flowScopes: ["*"], credentialKind: "api_key" }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "CONFLICT", cause: { code: "DUPLICATE_RECORD" } });

    const cli = await flowport("clients", "create", "dup-client", "--json");
    expect(cli.code).toBe(APP_ERRORS.DUPLICATE_RECORD.exitCode);
    expect(cli.json).toMatchObject({ ok: false, error: { code: "DUPLICATE_RECORD" } });
  });

  it("a flow that is not there is 404 on the API, NOT_FOUND in the console, exit 3 from the CLI", { timeout: 60_000 }, async () => {
    const missing = await api.post("no-such-flow", {});
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: "error", errorCode: "ENDPOINT_NOT_FOUND", message: appErrorMessage("ENDPOINT_NOT_FOUND") });

    const viewer = callerAs(database().sql, "viewer");
    await expect(viewer.flows.get({ slug: "no-such-flow" })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { code: "NOT_FOUND" } });

    const cli = await flowport("flows", "export", "no-such-flow", "--json");
    expect(cli.code).toBe(EXIT.NOT_FOUND);
    expect(cli.json).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("a validation failure is 400 on the API, BAD_REQUEST in the console, exit 2 from the CLI", async () => {
    const rejected = await api.post("vendor-master", { vendorName: "X", gstNumber: "nope", contactPerson: "R", mobile: "9876543210", email: "d@x.com", city: "Mumbai" });
    expect(rejected.status).toBe(400);
    expect(rejected.json).toMatchObject({ status: "error", errorCode: "INVALID_GST" });

    const admin = callerAs(database().sql, "admin");
    const refused = await admin.connections.saveCredential({ name: "no-secret", type: "bearer" }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "BAD_REQUEST", cause: { code: "VALIDATION_FAILED" } });
    expect(describeError((refused as { cause: unknown }).cause).exitCode).toBe(EXIT.INVALID_INPUT);
    // The CLI's own run of a validation failure (an empty secret on stdin) is in server/cli/commands/connections.test.ts.
  });

  it("an upstream 502 on Send to API is EXTERNAL_ERROR: logged as such, BAD_GATEWAY in the console, exit 6 from the CLI", async () => {
    const { sql } = database();
    // The CLI runs above seed the demo data, whose accounting-system points elsewhere: point it at the receiver again.
    await setConnection(sql, { name: "accounting-system", baseUrl: receiver.url, allowPrivate: true });
    const number = `INV/E/${randomBytes(3).toString("hex")}`;
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 });
    receiver.script(number, [{ status: 502 }]);
    const { deliveryIds } = await callerAs(sql, "operator").records.send({ entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" });
    await deliverOnce(sql, deliveryIds[0]!);
    const [log] = await sql<{ error_code: string; error_message: string }[]>`select error_code, error_message from executions where delivery_id = ${deliveryIds[0]!}`;
    expect(log).toMatchObject({ error_code: "EXTERNAL_ERROR", error_message: expect.stringMatching(/HTTP 502/) });

    // The same failure, as the send node throws it, through the console's and the CLI's one mapping.
    const upstream = new FlowError("EXTERNAL_ERROR", { message: log!.error_message, retryable: true, details: { status: 502 } });
    expect(toTRPCError(upstream)).toMatchObject({ code: "BAD_GATEWAY", message: log!.error_message });
    expect(describeError(upstream)).toMatchObject({ code: "EXTERNAL_ERROR", exitCode: EXIT.UPSTREAM });
    expect(APP_ERRORS.EXTERNAL_ERROR.httpStatus).toBe(502);
  });

  describe("a dry run that overruns its time", () => {
    beforeAll(async () => {
      await closeDraftPool();
      vi.stubEnv("FLOWPORT_DRAFT_THREADS", "1");
      vi.stubEnv("FLOWPORT_DRAFT_TIMEOUT_MS", "150");
      resetEnvForTests();
    });
    afterAll(async () => {
      await closeDraftPool();
      vi.unstubAllEnvs();
      resetEnvForTests();
    });

    it("is DRY_RUN_TIMEOUT: TIMEOUT with appCode in the console, exit 7 from the CLI", { timeout: 30_000 }, async () => {
      const draft = structuredClone(loadExampleFlows().find((f) => f.slug === "vendor-master")!);
      draft.nodes.find((n) => n.id === "map")!.config = { expression: "( $f := function($n) { $n = 0 ? 0 : $f($n - 1) + $f($n - 1) }; $f(40) )" };
      const error = await callerAs(database().sql, "analyst")
        .designerTesting.dryRun({ flow: draft, sample: { payload: draft.samples[0]!.payload } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "TIMEOUT", cause: { code: "DRY_RUN_TIMEOUT" } });
      expect((error as Error).message).toMatch(/did not finish within 0.15 s/);
      expect(describeError((error as { cause: unknown }).cause)).toMatchObject({ code: "DRY_RUN_TIMEOUT", exitCode: EXIT.RETRY_LATER });
    });
  });

  it("the OpenAPI document's refusal examples say what the server says", async () => {
    const tooBig = await api.post("vendor-master", "x".repeat(MAX_BODY_BYTES + 1));
    const notJson = await api.post("vendor-master", "{}", { "content-type": "text/plain" });
    const document = JSON.stringify(await openApiForPublishedFlows(database().sql, "http://localhost"));
    for (const answer of [tooBig, notJson]) {
      expect(document).toContain(JSON.stringify(answer.json.message));
    }
    expect(document).toContain(JSON.stringify(appErrorMessage("FORBIDDEN_FLOW", { flowSlug: "vendor-master" })));
    expect(document).not.toContain("Missing or invalid credentials");
  });
});
