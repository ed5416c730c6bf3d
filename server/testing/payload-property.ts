/**
 * The property behind issue 8's generated-payload test: whatever arrives at an incoming endpoint
 * (any JSON, vendor-shaped records with hostile field values, prototype keys, raw strings and
 * bytes, odd content types), the answer is never a 500, always the seed's error shape when it is
 * an error, the process stays up and its memory returns to its baseline. Payloads come from
 * fast-check; the run's seed is printed so a failure can be replayed.
 */
import { runInNewContext } from "node:vm";
import v8 from "node:v8";
import fc from "fast-check";
import type { Sql } from "postgres";
import type { IncomingTestServer } from "./incoming-server";

const SLUGS = ["vendor-master", "lead-enquiry", "attendance-import", "material-receipt", "invoice-update"];
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "$", "$$", ""];

const anyText = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.constantFrom("'; drop table records;--", "$eval('1')", "\u202e", "🚀", " "));
const scalar = fc.oneof(anyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const field = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });

/** Records shaped like the seed's vendor, with any field replaced by anything. */
const vendorLike = fc.record(
  {
    vendorName: fc.oneof(fc.constant("ABC Suppliers"), field),
    gstNumber: fc.oneof(fc.stringMatching(/^27[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/), field),
    contactPerson: field,
    mobile: fc.oneof(fc.stringMatching(/^[6-9]\d{9}$/), field),
    email: fc.oneof(fc.emailAddress(), field),
    city: fc.oneof(fc.constantFrom("Mumbai", "Pune", "Atlantis"), field),
  },
  { requiredKeys: [] },
);

const withHostileKeys = fc
  .tuple(fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 })), vendorLike)
  .map(([extra, base]) => `{${[...Object.entries(extra), ...Object.entries(base)].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`);

const batchLike = fc.record({
  deviceId: field,
  punches: fc.array(fc.record({ employeeCode: field, punchTime: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), field), direction: fc.oneof(fc.constantFrom("in", "out"), field) }), { maxLength: 20 }),
});

export interface GeneratedCall {
  slug: string;
  contentType: string | undefined;
  body: string | Uint8Array;
}

export const generatedCall: fc.Arbitrary<GeneratedCall> = fc.record({
  slug: fc.constantFrom(...SLUGS),
  contentType: fc.oneof(
    { weight: 12, arbitrary: fc.constant("application/json") },
    { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "application/vnd.erp+json", "text/plain", "application/x-www-form-urlencoded", undefined) },
  ),
  body: fc.oneof(
    { weight: 4, arbitrary: vendorLike.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: withHostileKeys },
    { weight: 2, arbitrary: batchLike.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  ),
});

export interface PropertyReport {
  seed: number;
  calls: number;
  byStatus: Record<number, number>;
  failures: { call: GeneratedCall; status: number; answer: string }[];
  /** The requestId of every answer, so a test can check each call left its log row. */
  requestIds: string[];
  heapBaselineMiB: number;
  heapAfterMiB: number;
  ms: number;
}

/** Of these request ids, the ones with no incoming log row: every answered call must have one. */
export async function unloggedRequestIds(sql: Sql, requestIds: string[]): Promise<string[]> {
  const logged = await sql<{ request_id: string }[]>`
    select request_id from executions where direction = 'incoming' and request_id = any(${requestIds}::text[])`;
  const seen = new Set(logged.map((row) => row.request_id));
  return requestIds.filter((id) => !seen.has(id));
}

export function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

const heapMiB = () => process.memoryUsage().heapUsed / 1024 / 1024;

/**
 * Sends `runs` generated calls, `concurrency` at a time, in chunks so the payloads themselves
 * never pile up in memory. A failure is a 5xx, an answer that is not the seed's shape, or no answer.
 */
export async function sendGeneratedPayloads(api: IncomingTestServer, runs: number, options: { concurrency?: number; seed?: number } = {}): Promise<PropertyReport> {
  // PAYLOAD_SEED replays a printed run.
  const seed = options.seed ?? (process.env.PAYLOAD_SEED ? Number(process.env.PAYLOAD_SEED) : Date.now() % 2 ** 31);
  const concurrency = options.concurrency ?? 16;
  const report: PropertyReport = { seed, calls: 0, byStatus: {}, failures: [], requestIds: [], heapBaselineMiB: 0, heapAfterMiB: 0, ms: 0 };
  const started = Date.now();
  const CHUNK = 500;
  for (let offset = 0; offset < runs; offset += CHUNK) {
    const calls = fc.sample(generatedCall, { numRuns: Math.min(CHUNK, runs - offset), seed: seed + offset });
    let next = 0;
    const worker = async () => {
      while (next < calls.length) {
        const call = calls[next++]!;
        const outcome = await send(api, call);
        report.calls++;
        report.byStatus[outcome.status] = (report.byStatus[outcome.status] ?? 0) + 1;
        if (outcome.requestId) report.requestIds.push(outcome.requestId);
        if (!outcome.ok && report.failures.length < 20) report.failures.push({ call, status: outcome.status, answer: outcome.answer });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // The baseline: after the first chunk has warmed every code path up.
    if (offset === 0) {
      collectGarbage();
      report.heapBaselineMiB = heapMiB();
    }
  }
  collectGarbage();
  report.heapAfterMiB = heapMiB();
  report.ms = Date.now() - started;
  return report;
}

async function send(api: IncomingTestServer, call: GeneratedCall): Promise<{ ok: boolean; status: number; answer: string; requestId?: string }> {
  const headers: Record<string, string> = { "x-api-key": api.apiKey };
  if (call.contentType) headers["content-type"] = call.contentType;
  try {
    const res = await fetch(`${api.url}/${call.slug}`, { method: "POST", headers, body: typeof call.body === "string" ? call.body : Buffer.from(call.body), signal: AbortSignal.timeout(30_000) });
    const answer = await res.text();
    let shaped = false;
    let requestId: string | undefined;
    try {
      const json = JSON.parse(answer) as Record<string, unknown>;
      if (typeof json.requestId === "string") requestId = json.requestId;
      shaped =
        typeof json.requestId === "string" &&
        (res.status < 400 ? true : json.status === "error" && typeof json.errorCode === "string" && typeof json.message === "string");
    } catch {
      shaped = false;
    }
    return { ok: res.status < 500 && shaped, status: res.status, answer: answer.slice(0, 300), requestId };
  } catch (error) {
    return { ok: false, status: 0, answer: String(error) };
  }
}
