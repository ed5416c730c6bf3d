/**
 * Test helpers for outgoing deliveries: a real HTTP receiver on 127.0.0.1 whose answers are
 * scripted per invoice number, and the flows under test (the seed's §4 invoice flow, with retry
 * delays kept tiny). Test-only; not imported by application code.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Sql } from "postgres";
import type { FlowFile } from "@/flows/format";
import invoiceFlow from "@/flows/examples/invoice-to-accounting.flow.json";
import { systemActor } from "@/server/audit/actor";
import { publishFlow } from "@/server/flows/publish-flow";
import { saveDraft } from "@/server/flows/repository";
import { setConnection } from "./connections";
import { setCredential } from "./credentials";

export interface Received {
  at: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long (past the sender's timeout: a timed-out attempt). */
  delayMs?: number;
  /** Never answer (until the sender gives up, dies, or the receiver closes). */
  hang?: boolean;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Answers for requests whose body has this invoiceNumber, in order; then 200 with a reference id. */
  script(invoiceNumber: string, answers: Answer[]): void;
  close(): Promise<void>;
}

/** `port`: listen on this one (a receiver started again after being down); any free port by default. */
export async function startReceiver(options: { port?: number } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      received.push({ at: Date.now(), method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const key = typeof body.invoiceNumber === "string" ? body.invoiceNumber : "";
      const answer = scripts.get(key)?.shift() ?? { status: 200, body: { status: "ok", referenceId: `ACC-${key || received.length}` } };
      if (answer.hang) return;
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(JSON.stringify(answer.body ?? { status: "error" }));
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
      else reply();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    script: (invoiceNumber, answers) => scripts.set(invoiceNumber, [...answers]),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Hanging and delayed requests would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

const TEST_RETRY = { maxAttempts: 3, backoff: "exponential", initialDelayMs: 100, maxDelayMs: 200 } as const;

/** The seed's invoice flow with tiny retry delays (and 3 attempts). */
export function invoiceEventFlow(): FlowFile {
  const flow = structuredClone(invoiceFlow) as unknown as FlowFile;
  for (const node of flow.nodes) if (node.type === "send") (node.config as Record<string, unknown>).retry = { ...TEST_RETRY };
  return flow;
}

/** The same mapping, started by hand ("Send to API") on invoices. */
export function invoiceManualFlow(): FlowFile {
  const flow = invoiceEventFlow();
  flow.slug = "invoice-manual-push";
  flow.name = "Invoice manual push";
  const trigger = flow.nodes.find((n) => n.type === "trigger.event")!;
  trigger.type = "trigger.manual";
  trigger.config = { entity: "Invoice", allowBulk: true };
  return flow;
}

/** A schedule flow sending approved invoices of project SCHED in one bulk request. */
export function invoiceScheduleFlow(): FlowFile {
  const flow = invoiceEventFlow();
  flow.slug = "invoice-schedule-push";
  flow.name = "Invoice schedule push";
  const trigger = flow.nodes.find((n) => n.type === "trigger.event")!;
  trigger.type = "trigger.schedule";
  trigger.config = { cron: "30 23 * * *", timezone: "Asia/Kolkata", entity: "Invoice", filter: { Project_Code: "SCHED" }, selection: '$[status = "approved"]', limit: 100 };
  const map = flow.nodes.find((n) => n.type === "map")!;
  map.config = { expression: '{ "count": $count($), "invoices": [$.{ "invoiceNumber": Invoice_No, "amount": Total_Amount }] }' };
  flow.nodes = flow.nodes.filter((n) => n.type !== "validate");
  flow.edges = flow.edges.filter((e) => e.target !== "validate").map((e) => (e.source === "validate" ? { ...e, source: "map" } : e));
  const send = flow.nodes.find((n) => n.type === "send")!;
  (send.config as Record<string, unknown>).path = "/api/v1/receive-data/bulk";
  delete (send.config as Record<string, unknown>).referenceField;
  return flow;
}

/** `flow` under another slug with its send node's config changed (connection, timeout, retry…). */
export function variantOf(flow: FlowFile, slug: string, send: Record<string, unknown>): FlowFile {
  const copy = structuredClone(flow);
  copy.slug = slug;
  copy.name = slug;
  const node = copy.nodes.find((n) => n.type === "send")!;
  node.config = { ...(node.config as Record<string, unknown>), ...send };
  return copy;
}

export async function publish(sql: Sql, flow: FlowFile): Promise<void> {
  await saveDraft(sql, flow);
  await publishFlow(sql, { slug: flow.slug }, systemActor("test"));
}

/**
 * A receiver plus the `accounting-system` connection (bearer credential `accounting-api-token`)
 * pointed at it: the setup every outgoing delivery test starts from.
 */
export async function startAccountingReceiver(sql: Sql, token = "tok_accounting_0123456789"): Promise<Receiver> {
  const receiver = await startReceiver();
  await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: token });
  await setConnection(sql, { name: "accounting-system", baseUrl: receiver.url, allowPrivate: true });
  return receiver;
}
