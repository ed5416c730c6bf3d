import { describe, expect, it } from "vitest";
import { logsQueryString, readLogsLocation } from "./log-url";

describe("the logs' address bar", () => {
  it("round-trips every filter and the open execution", () => {
    const location = {
      filter: {
        direction: "incoming" as const,
        flowSlug: "vendor-master",
        status: "FAILED" as const,
        httpStatus: 400,
        clientName: "acme erp",
        mode: "replay" as const,
        from: new Date("2026-01-02T03:04:00.000Z"),
        to: new Date("2026-01-03T00:00:00.000Z"),
        search: "INV/2025/0050",
      },
      execution: "0b6f3c1e-aaaa-4bbb-8ccc-123456789abc",
    };
    const query = logsQueryString(location);
    expect(query).toContain("flow=vendor-master");
    expect(query).toContain("q=INV%2F2025%2F0050");
    expect(readLogsLocation("incoming", new URLSearchParams(query))).toEqual(location);
  });

  it("reads a record page's link to its execution", () => {
    expect(readLogsLocation("incoming", new URLSearchParams("execution=abc"))).toEqual({ filter: { direction: "incoming" }, execution: "abc" });
  });

  it("keeps the connection for outgoing and the client for incoming only", () => {
    const params = new URLSearchParams("client=acme&connection=accounting-system");
    expect(readLogsLocation("incoming", params).filter).toEqual({ direction: "incoming", clientName: "acme" });
    expect(readLogsLocation("outgoing", params).filter).toEqual({ direction: "outgoing", connectionName: "accounting-system" });
  });

  it("drops values that do not parse instead of sending them to the server", () => {
    const params = new URLSearchParams("status=BROKEN&http=999&mode=x&from=yesterday&to=2026-13-45&q=%20%20&flow=");
    expect(readLogsLocation("outgoing", params)).toEqual({ filter: { direction: "outgoing" }, execution: null });
  });

  it("writes nothing for the plain view", () => {
    expect(logsQueryString({ filter: { direction: "outgoing" }, execution: null })).toBe("");
  });
});
