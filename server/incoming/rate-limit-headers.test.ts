/** The RateLimit-* headers over real HTTP: on every answer to a client with a limit, the 429 included, and only then. */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { createClient } from "./clients";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

/** Waits out the last seconds of a minute so the calls land in one window. */
async function awayFromMinuteBoundary() {
  const [row] = await database().sql<{ second: number }[]>`select extract(second from now())::float8 as second`;
  if (row!.second > 55) await new Promise((r) => setTimeout(r, (61 - row!.second) * 1000));
}

const lead = { name: "Rate Limited", mobile: "9876543210", email: "rl@example.com" };
const limitHeaders = (headers: Headers) => ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"].map((h) => headers.get(h));

describe("RateLimit-* answer headers", () => {
  it("tells a limited client its limit, what is left and when the window resets, on successes, failures and the 429", async () => {
    const { credentials } = await createClient(database().sql, { name: "limited", flowScopes: ["*"], credentialKind: "api_key", rateLimitPerMinute: 2 });
    const key = credentials[0]!.token;
    await awayFromMinuteBoundary();
    const first = await api.post("lead-enquiry", lead, { "x-api-key": key });
    expect(first.status).toBe(200);
    const [limit, remaining, reset] = limitHeaders(first.headers);
    expect([limit, remaining]).toEqual(["2", "1"]);
    expect(Number(reset)).toBeGreaterThanOrEqual(1);
    expect(Number(reset)).toBeLessThanOrEqual(60);

    const rejected = await api.post("lead-enquiry", { ...lead, email: "not-an-email" }, { "x-api-key": key });
    expect(rejected.status).toBe(400);
    expect(limitHeaders(rejected.headers).slice(0, 2)).toEqual(["2", "0"]);

    const over = await api.post("lead-enquiry", lead, { "x-api-key": key });
    expect(over.status).toBe(429);
    expect(over.json).toMatchObject({ status: "error", errorCode: "RATE_LIMITED" });
    expect(limitHeaders(over.headers).slice(0, 2)).toEqual(["2", "0"]);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("sends none to a client without a limit", async () => {
    const res = await api.post("lead-enquiry", lead);
    expect(res.status).toBe(200);
    expect(limitHeaders(res.headers)).toEqual([null, null, null]);
  });
});
