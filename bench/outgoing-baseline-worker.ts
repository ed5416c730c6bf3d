/**
 * Baseline for the outgoing scenario: graphile-worker with a task that only POSTs
 * the payload to the receiver (no flow, no logs, no delivery state), with the same
 * local queue and concurrency as Flowport's worker. argv: <databaseUrl> <receiverUrl>.
 */
import http from "node:http";
import { Logger, run } from "graphile-worker";
import { WORKER_CONCURRENCY, WORKER_PRESET } from "../server/jobs/runner";

const [url, receiver] = [process.argv[2]!, process.argv[3]!];
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const post = (body: string) =>
  new Promise<void>((resolve, reject) => {
    const req = http.request(receiver, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });

const runner = await run({
  connectionString: url,
  concurrency: WORKER_CONCURRENCY,
  maxPoolSize: WORKER_CONCURRENCY + 4,
  noHandleSignals: false,
  pollInterval: 1000,
  logger: new Logger(() => () => undefined),
  preset: WORKER_PRESET,
  taskList: { "baseline-post": async (payload) => post(JSON.stringify(payload)) },
});
process.stdout.write("ready\n");
await runner.promise;
