import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoReceivers, type DemoReceivers } from "./receivers";

let receivers: DemoReceivers;
beforeAll(async () => {
  receivers = await startDemoReceivers(0);
});
afterAll(() => receivers.close());

const post = (path: string, headers: Record<string, string>, body = "{}") =>
  fetch(`http://127.0.0.1:${receivers.port}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("demo receivers", () => {
  it("answer like the real systems: a reference id for a call with its credential", async () => {
    const accounting = await post("/accounting/invoices", { authorization: "Bearer t" });
    expect(accounting.status).toBe(200);
    expect(await accounting.json()).toMatchObject({ status: "received", referenceId: expect.stringMatching(/^ACC-\d{6}$/) });
    const portal = await post("/payment-portal", { "x-api-key": "k" });
    expect(portal.status).toBe(201);
    expect(await portal.json()).toMatchObject({ data: { vendorId: expect.stringMatching(/^PP-\d{6}$/) } });
  });

  it("refuse a call without credentials, an unknown system and a body that is not JSON", async () => {
    expect((await post("/accounting", {})).status).toBe(401);
    expect((await post("/payroll", { authorization: "Bearer t" })).status).toBe(404);
    expect((await post("/accounting", { authorization: "Bearer t" }, "{not json")).status).toBe(400);
  });

  it("name the variable to set when their port is taken", async () => {
    await expect(startDemoReceivers(receivers.port)).rejects.toThrow(/FLOWPORT_DEMO_PORT/);
  });
});
