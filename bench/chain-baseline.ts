/**
 * The hand-written baseline for the chain scenario: what a developer would write for
 * "a vendor call stores the vendor and the payment portal hears of it" without
 * Flowport. One process: the naive incoming server (bench/incoming-baseline.ts) also
 * inserts an outbox row in the request's transaction; loops claim outbox rows
 * (FOR UPDATE SKIP LOCKED), map them with the portal flow's own JSONata (city looked
 * up from the City master), POST them to the receiver and mark them done, all in
 * the claiming transaction. argv: <databaseUrl> <port> <receiverUrl>.
 */
import http from "node:http";
import jsonata from "jsonata";
import postgres from "postgres";
import { loadExampleFlow } from "@/flows/examples";
import { naiveIncomingServer } from "./incoming-baseline";

const [url, port, receiverUrl] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!];
const LOOPS = 4;
const CLAIM = 50;
const IDLE_POLL_MS = 50;

const sql = postgres(url, { max: 10 + LOOPS, onnotice: () => undefined });
await sql`create table if not exists bench_outbox (id bigserial primary key, record_id text not null, payload jsonb not null,
          created_at timestamptz not null default now(), done_at timestamptz, status int)`;
await sql`create index if not exists bench_outbox_pending on bench_outbox (id) where done_at is null`;

const portal = loadExampleFlow("vendor-to-payment-portal");
const mapping = jsonata(portal.nodes.find((n) => n.type === "map")!.config.expression as string);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(body: string, key: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      receiverUrl,
      { method: "POST", agent, headers: { "content-type": "application/json", "idempotency-key": key, "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/** Claims up to CLAIM pending rows, delivers them, marks the delivered ones done; returns how many it claimed. */
async function deliverBatch(): Promise<number> {
  return sql.begin(async (tx) => {
    const rows = await tx<{ id: string; payload: Record<string, unknown> }[]>`
      select id, payload from bench_outbox where done_at is null order by id limit ${CLAIM} for update skip locked`;
    if (rows.length === 0) return 0;
    const names = [...new Set(rows.map((r) => String(r.payload.City ?? "")))];
    const cities = await tx<{ name: string; state: string }[]>`
      select data->>'Name' as name, data->>'State' as state from records where entity = 'City' and data->>'Name' = any(${names})`;
    const stateOf = new Map(cities.map((c) => [c.name, c.state]));
    const statuses = await Promise.all(
      rows.map(async (r) => {
        const city = stateOf.has(String(r.payload.City)) ? { Name: r.payload.City, State: stateOf.get(String(r.payload.City)) } : undefined;
        const body = await mapping.evaluate(r.payload, { vars: { city } });
        return post(JSON.stringify(body), `bench-outbox-${r.id}`);
      }),
    );
    const done = rows.filter((_, i) => statuses[i]! >= 200 && statuses[i]! < 300).map((r) => r.id);
    if (done.length > 0) await tx`update bench_outbox set done_at = now(), status = 200 where id = any(${done}::bigint[])`;
    return rows.length;
  });
}

// An incoming commit wakes one idle loop at once (same process); otherwise the loops poll.
const waiting: (() => void)[] = [];
const idle = () =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      const at = waiting.indexOf(done);
      if (at >= 0) waiting.splice(at, 1);
      resolve();
    };
    const timer = setTimeout(done, IDLE_POLL_MS);
    waiting.push(done);
  });
async function loop() {
  for (;;) {
    const claimed = await deliverBatch().catch(() => 0);
    if (claimed < CLAIM) await idle();
  }
}
for (let i = 0; i < LOOPS; i++) void loop();

naiveIncomingServer(sql, {
  inTransaction: async (tx, record, recordId) => {
    await tx`insert into bench_outbox (record_id, payload) values (${recordId}, ${tx.json(record as never)})`;
  },
  afterCommit: () => waiting[0]?.(),
}).listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
