/**
 * The console's tRPC route over the fetch API, as the browser calls it (issue 15): mutations from
 * another origin are refused before anything is parsed, a batch holds at most MAX_BATCH_SIZE
 * calls, and each user's calls are metered so one tab cannot make the server work for everyone.
 * Both directions go through superjson, so the console's own client gets Date objects back.
 */
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/trpc/[trpc]/route";
import { createConsoleClient } from "@/app/lib/trpc-client";
import { handleAuthRequest } from "@/server/auth/auth";
import { closeAuth } from "@/server/auth/process-auth";
import { createUser } from "@/server/auth/users";
import { useTestDatabase } from "../testing/database";
import { CONSOLE_CALL_BURST, CONSOLE_CALLS_PER_SECOND, consoleCallAllowed, MAX_BATCH_SIZE } from "./init";

const db = useTestDatabase();
afterAll(() => closeAuth());

const ORIGIN = "http://localhost:3000";
let cookie = "";

async function signedIn(email: string, role: "viewer" | "admin") {
  await createUser(db().sql, { email, role, password: "route-test-password" });
  const response = await handleAuthRequest(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, host: "localhost:3000", "x-forwarded-for": `10.7.0.${email.length}` },
      body: JSON.stringify({ email, password: "route-test-password" }),
    }),
  );
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

beforeAll(async () => {
  cookie = await signedIn("route-admin@example.com", "admin");
});

/** A batched GET of `count` calls of one query, as httpBatchLink sends it (each input in superjson's envelope). */
function batchGet(path: string, count: number, headers: Record<string, string> = { cookie }) {
  const paths = Array.from({ length: count }, () => path).join(",");
  const input = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, superjson.serialize({})]));
  const url = `${ORIGIN}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  return GET(new Request(url, { headers: { host: "localhost:3000", ...headers } }));
}

const mutation = (headers: Record<string, string>, body = "{}") =>
  POST(new Request(`${ORIGIN}/api/trpc/flows.create`, { method: "POST", headers: { "content-type": "application/json", host: "localhost:3000", cookie, ...headers }, body }));

describe("the console's tRPC route", () => {
  it("refuses a mutation from another origin (or with no origin at all) with 403 before parsing its input", async () => {
    const refusedHeaders: Record<string, string>[] = [{ origin: "https://evil.example" }, {}, { "sec-fetch-site": "cross-site" }, { origin: "null" }];
    for (const headers of refusedHeaders) {
      const response = await mutation(headers, "not json at all");
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { json: { data: { code: "FORBIDDEN", errorCode: "CROSS_ORIGIN" } } } });
    }
    // From our own page the call reaches tRPC, which answers the bad input itself.
    expect((await mutation({ origin: ORIGIN }, "not json at all")).status).toBe(400);
    expect((await mutation({ "sec-fetch-site": "same-origin" }, "not json at all")).status).toBe(400);
  });

  it(`answers a batch of at most ${MAX_BATCH_SIZE} calls, and refuses a larger one whole`, async () => {
    const ok = await batchGet("failedQueue.count", MAX_BATCH_SIZE);
    expect(ok.status).toBe(200);
    expect((await ok.json()) as unknown[]).toHaveLength(MAX_BATCH_SIZE);
    const refused = await batchGet("failedQueue.count", 200);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/Batch call exceeds maximum size/);
  });

  it("meters each user's calls: past the burst, TOO_MANY_REQUESTS with a clear message; other users unaffected", async () => {
    const viewer = await signedIn("route-viewer@example.com", "viewer");
    const codes: string[] = [];
    // Until a call is refused: on a busy machine the loop is slow and the refill adds more calls.
    for (let i = 0; i < Math.ceil((CONSOLE_CALL_BURST * 3) / MAX_BATCH_SIZE) && codes.at(-1) !== "TOO_MANY_REQUESTS"; i++) {
      const answers = (await (await batchGet("failedQueue.count", MAX_BATCH_SIZE, { cookie: viewer })).json()) as { result?: unknown; error?: { json: { message: string; data: { code: string } } } }[];
      for (const answer of answers) codes.push(answer.error?.json.data.code ?? "OK");
    }
    // The burst (less what the refill added while the loop ran) is served, then calls are refused.
    expect(codes.slice(0, CONSOLE_CALL_BURST - 5).every((c) => c === "OK")).toBe(true);
    expect(codes.at(-1)).toBe("TOO_MANY_REQUESTS");
    const refused = (await (await batchGet("failedQueue.count", 1, { cookie: viewer })).json()) as { error: { json: { message: string } } }[];
    expect(refused[0]!.error.json.message).toMatch(/Too many requests from your account; wait \d+ s/);
    // The admin's own bucket is untouched.
    expect((await batchGet("failedQueue.count", 1)).status).toBe(200);
  });

  it("carries dates as Date objects both ways through the console's own client (superjson), and errors with their message", async () => {
    // The client the browser uses (providers.tsx), its requests answered by the route handler.
    const viaRoute: typeof fetch = async (input, init) => {
      const request = new Request(input instanceof Request ? input : String(input), init);
      const headers = new Headers(request.headers);
      for (const [name, value] of Object.entries({ cookie, host: "localhost:3000", origin: ORIGIN })) headers.set(name, value);
      const forwarded = new Request(request, { headers });
      return forwarded.method === "POST" ? POST(forwarded) : GET(forwarded);
    };
    const client = createConsoleClient({ url: `${ORIGIN}/api/trpc`, fetch: viaRoute });
    const before = new Date(Date.now() - 1000);
    const created = await client.flows.create.mutate({ kind: "blank", direction: "incoming", name: "Dates travel", slug: "dates-travel" });
    expect(created.slug).toBe("dates-travel");
    const [draft, list] = await Promise.all([client.flows.get.query({ slug: "dates-travel" }), client.flows.list.query()]);
    expect(draft.updatedAt).toBeInstanceOf(Date);
    expect(draft.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(list.find((f) => f.slug === "dates-travel")!.updatedAt).toBeInstanceOf(Date);
    // A Date input reaches the server's schema as a Date (the logs filter's time range).
    const logs = await client.logs.list.query({ filter: { direction: "incoming", from: before, to: new Date(Date.now() + 60_000) } });
    expect(logs.items).toEqual([]);
    // A refused call still reads as a TRPCClientError with the server's message.
    await expect(client.flows.get.query({ slug: "no-such-flow" })).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
  });

  it("refills the bucket over time", () => {
    const start = 5_000_000;
    for (let i = 0; i < CONSOLE_CALL_BURST; i++) expect(consoleCallAllowed("bucket-user", start)).toBeUndefined();
    expect(consoleCallAllowed("bucket-user", start)).toBe(1);
    expect(consoleCallAllowed("bucket-user", start + 1000 / CONSOLE_CALLS_PER_SECOND)).toBeUndefined();
    expect(consoleCallAllowed("bucket-user", start + 1000 / CONSOLE_CALLS_PER_SECOND)).toBe(1);
  });
});
