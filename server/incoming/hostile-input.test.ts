/**
 * Hostile input against every incoming endpoint (issue 8), over real HTTP into the real handler
 * and database: broken JSON, wrong content types, huge and deeply nested bodies, prototype
 * pollution keys, text PostgreSQL cannot store, injection strings, mistyped fields and oversized
 * batches. Each is answered with a clear 4xx in the seed's shape (never a 500), stored faithfully
 * when accepted, and leaves the process and Object.prototype untouched.
 */
import http from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { startIncomingTestServer, type IncomingTestServer } from "../testing/incoming-server";
import { collectGarbage, unloggedRequestIds } from "../testing/payload-property";

const database = useTestDatabase();
let api: IncomingTestServer;

/** Every incoming flow the seed publishes. */
const SLUGS = ["vendor-master", "lead-enquiry", "attendance-import", "material-receipt", "invoice-update"];

beforeAll(async () => {
  api = await startIncomingTestServer(database());
});
afterAll(async () => {
  await api?.close();
});

let gst = 0;
const freshGstin = () => `29HOSTL${String(gst++).padStart(4, "0")}F1Z5`;
const vendor = (over: Record<string, unknown> = {}) => ({
  vendorName: "ABC Suppliers",
  gstNumber: freshGstin(),
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "abc@xyz.com",
  city: "Mumbai",
  ...over,
});

/** POSTs raw bytes (no content type unless given) and reads the answer. */
async function raw(slug: string, body: string | Buffer, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(`${api.url}/${slug}`, { method: "POST", headers: { "x-api-key": api.apiKey, ...headers }, body: typeof body === "string" ? body : new Uint8Array(body) });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`not a JSON answer (${res.status}): ${text.slice(0, 200)}`);
  }
  return { status: res.status, json };
}

const storedVendor = async (recordId: string) =>
  (await database().sql<{ data: Record<string, unknown> }[]>`select data from records where record_id = ${recordId}`)[0]?.data;

function expectClearError(answer: { status: number; json: Record<string, unknown> }, status: number, errorCode?: string) {
  expect(answer.status).toBe(status);
  expect(answer.json).toMatchObject({ status: "error", errorCode: errorCode ?? expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  expect(String(answer.json.message)).not.toMatch(/postgres|stack|at .*\.ts|Internal server error/i);
}

describe("hostile input on every incoming endpoint", () => {
  it.each(SLUGS)("%s: malformed and truncated JSON → 400 INVALID_JSON, each logged", async (slug) => {
    const sample = JSON.stringify(vendor());
    const requestIds: string[] = [];
    for (const body of ["{", '{"a":', "[1,2", "nul", '{"a":1}}', "{'a':1}", "{a:1}", "", "   ", sample.slice(0, sample.length / 2), `${sample}garbage`, "\u0000", '{"a":"\u0001"}', "\ud800"]) {
      const answer = await raw(slug, body);
      expectClearError(answer, 400, "INVALID_JSON");
      requestIds.push(String(answer.json.requestId));
    }
    // The parser quotes a raw NUL in its message; that once cost the call its log row.
    expect(await unloggedRequestIds(database().sql, requestIds)).toEqual([]);
  });

  it.each(SLUGS)("%s: wrong or missing content type → 415", async (slug) => {
    const body = JSON.stringify(vendor());
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx", "json", "*/*"]) {
      expectClearError(await raw(slug, body, { "content-type": type }), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    expectClearError(await raw(slug, Buffer.from(body), {}), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it.each(SLUGS)("%s: bytes that are not UTF-8 → 400", async (slug) => {
    const wrap = (bytes: number[]) => Buffer.concat([Buffer.from('{"vendorName":"'), Buffer.from(bytes), Buffer.from('"}')]);
    // Lone 0xFF, an overlong "/", a UTF-16 surrogate encoded in UTF-8, a sequence cut short, Latin-1 "é".
    for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xe9]]) {
      expectClearError(await raw(slug, wrap(bytes)), 400, "INVALID_JSON");
    }
  });

  it.each(SLUGS)("%s: JSON nested 100,000 levels deep → 400, no stack overflow", async (slug) => {
    const deep = `{"vendorName":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expectClearError(await raw(slug, deep), 400);
    const deepObject = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    expectClearError(await raw(slug, deepObject), 400);
  });

  it("a 10 MiB body → 413 quickly, memory flat", async () => {
    const body = Buffer.alloc(10 * 1024 * 1024, "a");
    body.write('{"pad":"', 0);
    // Heap plus buffers after a full collection: what the process keeps, not what it passed through.
    const retainedMiB = () => {
      collectGarbage();
      const { heapUsed, external } = process.memoryUsage();
      return (heapUsed + external) / 1024 / 1024;
    };
    // Once per endpoint first: compiling its flow and warming the sockets is not a leak.
    for (const slug of SLUGS) expectClearError(await raw(slug, body), 413, "PAYLOAD_TOO_LARGE");
    const before = retainedMiB();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      const answer = await raw(SLUGS[i % SLUGS.length]!, body);
      times.push(Date.now() - started);
      expectClearError(answer, 413, "PAYLOAD_TOO_LARGE");
    }
    // The last bodies' client sockets can still be closing (their buffers in flight): seen in CI as
    // 20 MiB once. Measured again for up to a second, the lowest reading; bodies kept by the server
    // (the leak this looks for) would stay.
    let grownMiB = retainedMiB() - before;
    for (let i = 0; i < 10 && grownMiB >= 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      grownMiB = Math.min(grownMiB, retainedMiB() - before);
    }
    console.log(`10 MiB bodies: answered 413 in ${times.join(", ")} ms; heap and buffers grew ${grownMiB.toFixed(1)} MiB over 10 of them`);
    // Reading 10 MiB takes far longer on a loaded machine; refusing it should not.
    expect(Math.max(...times)).toBeLessThan(5_000);
    // Ten bodies kept by the server would be 100 MiB; less than one is noise.
    expect(grownMiB).toBeLessThan(10);
  });

  it("a body streamed past 1 MiB is cut off without being read to its end", async () => {
    const { port } = new URL(api.url);
    const { sent, status } = await streamHugeBody(Number(port), 10 * 1024 * 1024);
    // Either the 413 arrived, or the server closed the connection while we were still sending.
    if (status !== 0) expect(status).toBe(413);
    expect(sent).toBeLessThan(9 * 1024 * 1024);
  });

  it("an undecodable slug (%E0%A4%A) → 404 ENDPOINT_NOT_FOUND in the seed's shape, not a 500", async () => {
    for (const slug of ["%E0%A4%A", "%E0%A4", "%", "vendor%2"]) {
      const answer = await raw(slug, JSON.stringify(vendor()));
      expectClearError(answer, 404, "ENDPOINT_NOT_FOUND");
    }
    const [{ n }] = (await database().sql<{ n: number }[]>`select count(*)::int as n from executions where http_status = 500`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it("a caller hanging up mid-body is logged as an abort, not as the database being unavailable", async () => {
    const lines: string[] = [];
    const holder = globalThis as typeof globalThis & Record<symbol, unknown>;
    const previous = holder[Symbol.for("flowport.logger")];
    holder[Symbol.for("flowport.logger")] = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
    try {
      const { port } = new URL(api.url);
      const before = await database().sql<{ n: number }[]>`select count(*)::int as n from executions`;
      await new Promise<void>((resolve) => {
        const req = http.request({ host: "127.0.0.1", port: Number(port), method: "POST", path: "/api/v1/integration/incoming/vendor-master", headers: { "content-type": "application/json", "content-length": "1000", "x-api-key": api.apiKey } });
        req.on("error", () => resolve());
        req.write('{"vendorName": "half a bo');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
      await expect.poll(() => lines.some((l) => l.includes("client aborted the request")), { timeout: 5_000 }).toBe(true);
      expect(lines.filter((l) => /database unavailable|failed unexpectedly/.test(l))).toEqual([]);
      const aborted = JSON.parse(lines.find((l) => l.includes("client aborted the request"))!) as { level: number };
      expect(aborted.level).toBe(30); // info: nothing went wrong on our side
      // Not a failed call in the log (the metrics count logged calls): nothing was received.
      const after = await database().sql<{ n: number }[]>`select count(*)::int as n from executions`;
      expect(after[0]!.n).toBe(before[0]!.n);
      // The process keeps serving.
      expect((await raw("vendor-master", JSON.stringify(vendor()))).status).toBe(200);
    } finally {
      holder[Symbol.for("flowport.logger")] = previous;
    }
  });

  it("__proto__ and constructor keys are plain data: no prototype pollution anywhere", async () => {
    const polluting = (base: object) =>
      JSON.stringify(base).replace(/^\{/, '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted2":"yes"}},"prototype":{"polluted3":"yes"},');
    const answers = [
      await raw("vendor-master", polluting(vendor())),
      await raw("vendor-master", polluting(vendor({ city: { __proto__: { polluted4: "yes" } } }))),
      await raw("lead-enquiry", polluting({ name: "Asha", mobile: "9876543210", email: "asha@example.com", source: "web" })),
      await raw("attendance-import", polluting({ deviceId: "D", punches: [JSON.parse('{"__proto__":{"polluted5":"yes"},"employeeCode":"E1001","punchTime":"2025-12-20T09:00:00+05:30","direction":"in"}')] })),
    ];
    for (const answer of answers) expect([200, 207, 400, 409]).toContain(answer.status);
    expect(answers[0]!.status).toBe(200);
    const probe = {} as Record<string, unknown>;
    for (const key of ["polluted", "polluted2", "polluted3", "polluted4", "polluted5", "isAdmin"]) {
      expect(probe[key]).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty(key);
    }
    // The record holds only the mapped fields.
    const data = await storedVendor(String(answers[0]!.json.recordId));
    expect(Object.keys(data!).sort()).toEqual(["City", "Contact_Person", "Email", "GST_No", "Phone_No", "Vendor_Name"]);
  });

  it("text PostgreSQL cannot store (NUL, lone surrogates) → a clear 400, not a 500", async () => {
    for (const text of ['"ABC\\u0000Suppliers"', '"\\ud800"', '"\\udfff tail"']) {
      const answer = await raw("vendor-master", JSON.stringify(vendor()).replace('"ABC Suppliers"', text));
      expectClearError(answer, 400, "INVALID_JSON");
    }
    // In a key too, and on a batch endpoint.
    expectClearError(await raw("vendor-master", JSON.stringify(vendor()).replace("{", '{"a\\u0000b":1,')), 400, "INVALID_JSON");
    const batch = '{"deviceId":"D","punches":[{"employeeCode":"E1\\u0000","punchTime":"2025-12-20T09:00:00+05:30","direction":"in"}]}';
    expectClearError(await raw("attendance-import", batch), 400, "INVALID_JSON");
  });

  it("RTL, emoji and combining text are stored and logged exactly as sent", async () => {
    const names = ["شركة المورد المحدودة", "ספק בע״מ", "मुंबई सप्लायर्स", "Zoë 👩🏽‍💻 Suppliers 🇮🇳", "e\u0301 \u202eRTL override\u202c", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"];
    for (const vendorName of names) {
      const answer = await api.post("vendor-master", vendor({ vendorName, contactPerson: vendorName }));
      expect(answer.status).toBe(200);
      const data = await storedVendor(String(answer.json.recordId));
      expect(data).toMatchObject({ Vendor_Name: vendorName, Contact_Person: vendorName });
      const [log] = await database().sql<{ request: { body: { vendorName: string } } }[]>`select request from executions where request_id = ${String(answer.json.requestId)}`;
      expect(log!.request.body.vendorName).toBe(vendorName);
    }
  });

  it("SQL and JSONata injection strings are stored verbatim, never evaluated", async () => {
    const { sql } = database();
    const attacks = [
      "Robert'); DROP TABLE records;--",
      "' OR '1'='1",
      "1; select pg_sleep(10)",
      '$string($eval("1+1"))',
      "$$.secret & $env",
      "{{7*7}} ${7*7} #{7*7}",
      '"; $count($) ;"',
    ];
    for (const attack of attacks) {
      const answer = await api.post("vendor-master", vendor({ vendorName: attack, contactPerson: attack }));
      expect(answer.status).toBe(200);
      expect(await storedVendor(String(answer.json.recordId))).toMatchObject({ Vendor_Name: attack, Contact_Person: attack });
    }
    expect((await sql`select count(*)::int as n from records`)[0]!.n).toBeGreaterThan(attacks.length);
  });

  it("numbers where strings belong and the reverse: specific validation errors, never a 500", async () => {
    const cases: Record<string, unknown>[] = [
      { mobile: 9876543210 },
      { vendorName: 12345 },
      { gstNumber: 27123456789 },
      { email: 42 },
      { city: 400001 },
      { vendorName: ["ABC"] },
      { vendorName: { first: "ABC" } },
      { vendorName: null },
      { vendorName: true },
      { mobile: 9.87e9 },
      { mobile: -1 },
    ];
    for (const over of cases) {
      const answer = await api.post("vendor-master", vendor(over));
      expect([200, 400], JSON.stringify(over)).toContain(answer.status);
      if (answer.status === 400) expect(answer.json.errorCode).not.toBe("INTERNAL_ERROR");
    }
    // Numbers as strings on a numeric field, and huge and non-finite-looking numbers.
    for (const body of ['{"deviceId":"D","punches":[{"employeeCode":1001,"punchTime":20251220,"direction":1}]}', '{"deviceId":1e400,"punches":[]}']) {
      const answer = await raw("attendance-import", body);
      expect(answer.status).toBe(400);
      expect(answer.json.errorCode).not.toBe("INTERNAL_ERROR");
    }
  });

  it("batch mode: an array past the flow's limit is refused whole, one at the limit is answered per item", async () => {
    const punch = (i: number) => ({ employeeCode: "E1001", punchTime: `2025-11-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00+05:30`, direction: "in", note: i });
    const tooMany = await api.post("attendance-import", { deviceId: "BULK", punches: Array.from({ length: 5001 }, (_, i) => punch(i)) });
    expectClearError(tooMany, 400, "INVALID_PAYLOAD");
    expect(String(tooMany.json.message)).toMatch(/5001 records; the limit is 5000/);
    // A top-level array where an object is expected, and an empty batch.
    expectClearError(await api.post("attendance-import", [punch(1)]), 400);
    expectClearError(await api.post("attendance-import", { deviceId: "BULK", punches: [] }), 400);
  });
});

/**
 * Streams `total` bytes of a JSON string at the endpoint as fast as the socket takes them, and
 * stops when the answer arrives: how long the answer took and how much had been sent by then.
 */
function streamHugeBody(port: number, total: number): Promise<{ ms: number; sent: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let sent = 0;
    let answered = false;
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/api/v1/integration/incoming/vendor-master",
      headers: { "content-type": "application/json", "x-api-key": api.apiKey, "transfer-encoding": "chunked" },
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < total) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{"pad":"'), chunk]) : chunk;
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.on("response", (res) => {
      answered = true;
      const ms = Date.now() - started;
      res.resume();
      res.on("end", () => {
        req.destroy();
        resolve({ ms, sent, status: res.statusCode ?? 0 });
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      // The server stopped reading and closed while we were still writing: a cut-off, as intended.
      if (answered) return;
      answered = true;
      if (error.code === "ECONNRESET" || error.code === "EPIPE") resolve({ ms: Date.now() - started, sent, status: 0 });
      else reject(error);
    });
    pump();
  });
}
