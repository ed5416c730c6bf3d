/**
 * Stand-ins for the external systems of the example outgoing flows (an accounting system and a
 * payment portal), so a fresh install delivers end to end. They ask for a credential header and
 * answer with a reference id, as the real ones would. The seeded demo connections point here
 * (server/seed/demo-outgoing.ts); replace them with the real endpoints before going live.
 *
 * A node:http server of its own, on FLOWPORT_DEMO_PORT (PORT + 1), outside the web process's event
 * loop when the supervisor runs it: the demo traffic does not cost the app's own throughput.
 */
import http from "node:http";
import { randomInt } from "node:crypto";

const SYSTEMS: Record<string, { credentialHeader: string; answer: () => { status: number; body: unknown } }> = {
  accounting: {
    credentialHeader: "authorization",
    answer: () => ({ status: 200, body: { status: "received", referenceId: `ACC-${randomInt(100000, 999999)}` } }),
  },
  "payment-portal": {
    credentialHeader: "x-api-key",
    answer: () => ({ status: 201, body: { data: { vendorId: `PP-${randomInt(100000, 999999)}` } } }),
  },
};

export const DEMO_SYSTEMS = Object.keys(SYSTEMS);

/** The base URL of one demo system on this machine, as the seeded connections hold it. */
export function demoSystemUrl(port: number, system: string): string {
  return `http://127.0.0.1:${port}/${system}`;
}

const MAX_BODY = 1024 * 1024;

function answer(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Answers POST /<system>[/…]: 404 for an unknown system, 401 without its credential header, 400 for a body that is not JSON. */
export function handleDemoRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const system = SYSTEMS[new URL(req.url ?? "/", "http://demo").pathname.split("/")[1] ?? ""];
  if (!system) return answer(res, 404, { error: "unknown demo system" });
  if (req.method !== "POST") return answer(res, 405, { error: "POST only" });
  if (!req.headers[system.credentialHeader]) return answer(res, 401, { error: "missing credentials" });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      answer(res, 413, { error: "body too large" });
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on("end", () => {
    if (res.headersSent) return;
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return answer(res, 400, { error: "invalid JSON" });
    }
    const { status, body } = system.answer();
    answer(res, status, body);
  });
}

export interface DemoReceivers {
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:port (0 = a free port). */
export function startDemoReceivers(port: number): Promise<DemoReceivers> {
  const server = http.createServer(handleDemoRequest);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new Error(`The demo receivers' port ${port} is already in use: stop the other program or set FLOWPORT_DEMO_PORT.`, { cause: error }) : error);
    });
    server.listen(port, "127.0.0.1", () => {
      resolve({
        port: (server.address() as { port: number }).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
