import { describe, expect, it } from "vitest";
import type { TraceEntry } from "@/server/engine/trace";
import { compactTrace, expandTrace } from "./compact-trace";

const entry = (nodeId: string, input: unknown, output: unknown, item?: number): TraceEntry => ({
  nodeId, type: "map", name: nodeId, status: "success", input, output, durationUs: 1, ...(item === undefined ? {} : { item }),
});

describe("compactTrace", () => {
  it("keeps an input once when it is the previous node's output, and expands back to the same trace", () => {
    const body = { a: 1 };
    const record = { A: 1 };
    const trace = [entry("trigger", body, body), entry("map", body, record), entry("store", record, { recordId: "X" }), entry("other", { b: 2 }, null)];
    const compact = compactTrace(trace);
    expect(compact[1]).not.toHaveProperty("input");
    expect(compact[1]!.inputFrom).toBe("trigger");
    expect(compact[2]!.inputFrom).toBe("map");
    expect(compact[3]!.input).toEqual({ b: 2 }); // not the same value: kept
    expect(JSON.parse(JSON.stringify(expandTrace(JSON.parse(JSON.stringify(compact)))))).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  it("never links entries of different batch items", () => {
    const v = { x: 1 };
    const compact = compactTrace([entry("map", v, v, 0), entry("map", v, v, 1)]);
    expect(compact[1]!.input).toEqual(v);
  });
});
