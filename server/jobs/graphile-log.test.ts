/** graphile-worker's logging through pino: no child logger per job unless it writes, no info line per successful job. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "../log";
import { graphileLogFactory } from "./runner";

describe("graphile-worker log factory", () => {
  const base = logger();
  const level = base.level;
  afterEach(() => {
    base.level = level;
    vi.restoreAllMocks();
  });

  it("writes a job's success at debug, other messages at their level, and makes a child logger only to write", () => {
    base.level = "info";
    const written: { level: string; message: string }[] = [];
    const child = vi.spyOn(base, "child").mockImplementation(
      () =>
        Object.fromEntries(
          ["error", "warn", "info", "debug"].map((method) => [method, (_meta: unknown, message: string) => void written.push({ level: method, message })]),
        ) as never,
    );
    const log = graphileLogFactory({ label: "job", workerId: "w", taskIdentifier: "deliver-outgoing", jobId: "1" });
    log("info", "Completed task 1 (deliver-outgoing, 1.23ms) with success", {});
    expect(child).not.toHaveBeenCalled();
    log("info", "Worker connected and looking for jobs... (task names: 'deliver-outgoing')", {});
    log("error", "Failed task 2 (deliver-outgoing, 4.00ms, attempt 1 of 10) with error 'boom'", {});
    log("warning", "Failed task 4 (deliver-outgoing, 2.00ms, attempt 2 of 10) with error 'connect ECONNREFUSED postgres://flowport:hunter2@10.0.0.7/erp'", {});
    expect(child).toHaveBeenCalledTimes(1);
    expect(written).toEqual([
      { level: "info", message: "Worker connected and looking for jobs... (task names: 'deliver-outgoing')" },
      { level: "error", message: "Failed task 2 (deliver-outgoing, 4.00ms, attempt 1 of 10) with error 'boom'" },
      // The error it quotes keeps no password.
      { level: "warn", message: "Failed task 4 (deliver-outgoing, 2.00ms, attempt 2 of 10) with error 'connect ECONNREFUSED postgres://flowport:[redacted]@10.0.0.7/erp'" },
    ]);

    base.level = "debug";
    const verbose = graphileLogFactory({ label: "job", jobId: "3" });
    verbose("info", "Completed task 3 (deliver-outgoing, 1.00ms) with success", {});
    expect(written.at(-1)).toEqual({ level: "debug", message: "Completed task 3 (deliver-outgoing, 1.00ms) with success" });
  });
});
