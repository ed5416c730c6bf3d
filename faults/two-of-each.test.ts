/**
 * Two web processes and two worker processes on one database (issue 8): vendors posted to both
 * web processes each fire the seed's vendor-to-payment-portal flow; both workers pump events and
 * run deliveries. No delivery may be performed twice (the receiver sees each Idempotency-Key
 * once) and none may be lost (one succeeded delivery per vendor created).
 */
import { describe, expect, it } from "vitest";
import { setConnection } from "@/server/outgoing/connections";
import { waitForDeliveries } from "@/server/outgoing/manual-send";
import { waitUntil } from "@/server/testing/processes";
import { checkRecordsAndLogs, countBy, startLoad, useFaultFixture, waitReady, type App } from "./harness";

const LOAD_MS = 6_000;

const fixture = useFaultFixture("two");

describe("two web and two worker processes on one database", () => {
  it("performs every delivery exactly once", async () => {
    const { sql } = fixture.database();
    const launched = await Promise.all((["web", "web", "worker", "worker"] as const).map((role) => fixture.launch(role)));
    await Promise.all(launched.map((app) => waitReady(app)));
    const [web1, web2] = launched as [App, App, App, App];
    const apiKey = /demo API key \(client "demo"\): (\S+)/.exec(web1.output() + web2.output())![1]!;

    const receiver = await fixture.receiver({ mode: "ok" });
    await setConnection(sql, { name: "payment-portal", baseUrl: receiver.url, credentialName: "payment-portal-key", allowPrivate: true });

    const since = new Date(Date.now() - 1_000);
    const answers = await startLoad({ targets: [web1.url, web2.url], apiKey, connections: 8, durationMs: LOAD_MS }).done;
    const byTarget = countBy(answers, (a) => `${a.target === web1.url ? "web1" : "web2"} ${a.status}`);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const check = await checkRecordsAndLogs(sql, answers, since);
    expect(check.missingRecords).toEqual([]);
    expect(check.created).toBe(answers.length);

    // One delivery per vendor created, each succeeded.
    let ids: string[] = [];
    await waitUntil(
      async () => {
        ids = (await sql<{ id: string }[]>`select id from deliveries where flow_slug = 'vendor-to-payment-portal' and created_at >= ${since}`).map((r) => r.id);
        return ids.length >= check.created;
      },
      30_000,
      "a delivery for every vendor",
    );
    const { done, deliveries } = await waitForDeliveries(sql, ids, 60_000);
    expect(done).toBe(true);
    expect(ids).toHaveLength(check.created);
    expect(deliveries.filter((d) => d.status !== "succeeded")).toEqual([]);
    const perRecord = countBy(deliveries, (d) => d.recordId);
    expect(Object.values(perRecord).every((n) => n === 1)).toBe(true);

    // The receiver saw each delivery's key exactly once: nothing performed twice.
    const keys = countBy(receiver.received, (r) => r.key);
    const twice = Object.entries(keys).filter(([, n]) => n > 1);
    console.log(
      `two of each: ${answers.length} vendors posted in ${LOAD_MS} ms (${JSON.stringify(byTarget)}), ${ids.length} deliveries, ` +
        `${receiver.received.length} requests received, ${Object.keys(keys).length} distinct keys, ${twice.length} keys seen twice`,
    );
    expect(twice).toEqual([]);
    expect(Object.keys(keys).sort()).toEqual(ids.map((id) => `${id}:send`).sort());
    expect(byTarget["web1 200"]).toBeGreaterThan(0);
    expect(byTarget["web2 200"]).toBeGreaterThan(0);

    await Promise.all(launched.map((app) => app.stop()));
  });
});
