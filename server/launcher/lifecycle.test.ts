import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { processCount } from "./lifecycle";

const config = (vars: Record<string, string>) => parseEnv(vars);

describe("processCount", () => {
  it("auto: two processes on two or more cores, one on a single core", () => {
    expect(processCount(config({}), 2)).toBe(2);
    expect(processCount(config({ FLOWPORT_PROCESSES: "auto" }), 8)).toBe(2);
    expect(processCount(config({}), 1)).toBe(1);
  });

  it("auto keeps npm run dev in one process; an explicit 2 is honoured there too", () => {
    expect(processCount(config({ FLOWPORT_DEV: "1" }), 4)).toBe(1);
    expect(processCount(config({ FLOWPORT_DEV: "1", FLOWPORT_PROCESSES: "2" }), 4)).toBe(2);
  });

  it("1 and 2 are taken as said, whatever the cores", () => {
    expect(processCount(config({ FLOWPORT_PROCESSES: "1" }), 8)).toBe(1);
    expect(processCount(config({ FLOWPORT_PROCESSES: "2" }), 1)).toBe(2);
  });

  it("a single role, or a process the supervisor started, never supervises", () => {
    expect(processCount(config({ FLOWPORT_ROLE: "web", FLOWPORT_PROCESSES: "2" }), 8)).toBe(1);
    expect(processCount(config({ FLOWPORT_ROLE: "worker" }), 8)).toBe(1);
    expect(processCount(config({ FLOWPORT_ROLE: "web", FLOWPORT_SUPERVISED: "1" }), 8)).toBe(1);
  });
});
