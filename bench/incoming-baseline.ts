/**
 * The hand-written baseline for the incoming scenario: plain node:http, the same
 * JSONata mapping, and the same record, key and log inserts in one transaction —
 * what a developer would write without Flowport. argv: <databaseUrl> <port>.
 * bench/chain-baseline.ts reuses the server and adds an outbox row to the transaction.
 */
import http from "node:http";
import jsonata from "jsonata";
import postgres, { type TransactionSql } from "postgres";
import { readFlowFiles, EXAMPLES_DIR } from "../server/flows/files";

export interface NaiveIncomingOptions {
  /** Extra work inside the request's transaction, after the record and before the log row. */
  inTransaction?: (tx: TransactionSql, record: Record<string, unknown>, recordId: string) => Promise<void>;
  /** After the transaction committed. */
  afterCommit?: () => void;
}

export function naiveIncomingServer(sql: postgres.Sql, options: NaiveIncomingOptions = {}): http.Server {
  const flow = readFlowFiles(EXAMPLES_DIR).find((f) => f.flow.slug === "vendor-master")!.flow;
  const mapping = jsonata(flow.nodes.find((n) => n.type === "map")!.config.expression as string);
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const started = new Date();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const record = JSON.parse(JSON.stringify(await mapping.evaluate(body)));
      let status = 200;
      let answer: Record<string, unknown> = {};
      await sql
        .begin(async (tx) => {
          const [n] = await tx`select nextval('record_series_vendor')::text as n`;
          const recordId = `VEND-${n!.n}`;
          const [row] = await tx`insert into records (entity, record_id, status, data) values ('Vendor', ${recordId}, 'active', ${tx.json(record as never)}) returning id`;
          const key = await tx`insert into record_keys values ('Vendor', 'GST_No', ${String(record.GST_No).toUpperCase()}, ${row!.id}) on conflict do nothing returning 1`;
          if (key.length === 0) throw new Error("duplicate");
          await options.inTransaction?.(tx, record, recordId);
          answer = { status: "success", message: "Record saved successfully", recordId };
          await tx`insert into executions (started_at, direction, flow_slug, status, http_status, record_id, duration_ms, request, response)
                 values (${started}, 'incoming', 'baseline', 'SUCCESS', 200, ${recordId}, ${Date.now() - started.getTime()}, ${tx.json(body as never)}, ${tx.json(answer as never)})`;
        })
        .then(() => options.afterCommit?.())
        .catch(() => {
          status = 409;
          answer = { status: "error", errorCode: "DUPLICATE_RECORD" };
        });
      const text = JSON.stringify(answer);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    });
  });
}

if (process.argv[1]?.endsWith("bench/incoming-baseline.ts")) {
  const [url, port] = [process.argv[2]!, Number(process.argv[3])];
  const sql = postgres(url, { max: 10 });
  naiveIncomingServer(sql).listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
}
