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

  it("keeps a pass-through node's output once (its input), alone or linked, and expands it back", () => {
    const body = { gstNumber: "27ABCDE1234F1Z5" };
    const record = { GST_No: "27ABCDE1234F1Z5" };
    const trace = [entry("trigger", body, body), entry("auth", body, body), entry("map", body, record), entry("validate", record, record), entry("respond", record, { ok: true })];
    const compact = compactTrace(trace);
    expect(compact[0]).toMatchObject({ input: body, outputIsInput: true });
    expect(compact[0]).not.toHaveProperty("output");
    expect(compact[1]).toMatchObject({ inputFrom: "trigger", outputIsInput: true });
    expect(compact[1]).not.toHaveProperty("input");
    expect(compact[1]).not.toHaveProperty("output");
    expect(compact[3]).toMatchObject({ inputFrom: "map", outputIsInput: true });
    expect(compact[4]).toMatchObject({ inputFrom: "validate", output: { ok: true } });
    // The body and the record are each written once.
    const text = JSON.stringify(compact);
    expect(text.split("27ABCDE1234F1Z5")).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(expandTrace(JSON.parse(text))))).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  it("keeps an output that only equals its input (a different object): only identity proves a pass-through", () => {
    const compact = compactTrace([entry("map", { a: 1 }, { a: 1 })]);
    expect(compact[0]).toMatchObject({ input: { a: 1 }, output: { a: 1 } });
    expect(compact[0]).not.toHaveProperty("outputIsInput");
  });

  it("expands traces logged before outputIsInput existed", () => {
    const old = [{ nodeId: "trigger", type: "trigger.http", name: "t", status: "success" as const, input: { a: 1 }, output: { a: 1 }, durationUs: 1 }];
    expect(expandTrace(old)).toEqual(old);
  });

  it("keeps every other field of a compacted entry (a field added to TraceEntry must survive the log)", () => {
    const v = { x: 1 };
    const full: Required<TraceEntry> = {
      nodeId: "branch", type: "branch", name: "Branch", status: "success", input: v, output: v, truncated: true, durationUs: 7, port: "true",
      note: "a note", error: { code: "INTERNAL_ERROR", message: "m", httpStatus: 500 }, item: 0,
    };
    const trace = [entry("map", v, v, 0), full];
    const compact = compactTrace(trace);
    expect(compact[1]).toMatchObject({ inputFrom: "map", outputIsInput: true });
    const keys = Object.keys(full).filter((k) => k !== "input" && k !== "output");
    for (const key of keys) expect(compact[1], key).toHaveProperty(key);
    expect(expandTrace(JSON.parse(JSON.stringify(compact)))).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  describe("lean form (incoming: node names in the flow version, the trigger's input in request.body)", () => {
    const body = { gstNumber: "27ABCDE1234F1Z5" };
    const record = { GST_No: "27ABCDE1234F1Z5" };
    const trace = (): TraceEntry[] => [entry("trigger", body, body), entry("auth", body, body), entry("map", body, record), entry("other", { b: 2 }, null)];
    const nodes = new Map(["trigger", "auth", "map", "other"].map((id) => [id, { type: "map", name: id }]));
    const request = { method: "POST", body };
    const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

    it("leaves out names and types and the trigger's input, and reads back the same as the old form", () => {
      const lean = compactTrace(trace(), { withoutNodeNames: true, requestBody: body });
      for (const e of lean) {
        expect(e).not.toHaveProperty("name");
        expect(e).not.toHaveProperty("type");
      }
      expect(lean[0]).toMatchObject({ inputFrom: "request", outputIsInput: true });
      expect(lean[0]).not.toHaveProperty("input");
      expect(JSON.stringify(lean)).not.toContain("gstNumber"); // the body is only in request.body
      const old = compactTrace(trace());
      const full = roundTrip(trace());
      expect(roundTrip(expandTrace(roundTrip(lean), { nodes, request: roundTrip(request) }))).toEqual(full);
      // Rows written before the lean form keep their names: read with or without the version's nodes.
      expect(roundTrip(expandTrace(roundTrip(old), { nodes, request: roundTrip(request) }))).toEqual(full);
      expect(roundTrip(expandTrace(roundTrip(old)))).toEqual(full);
    });

    it("marks the trigger's input only when it is the logged body itself (identity), never a later entry's", () => {
      const equalOnly = compactTrace(trace(), { withoutNodeNames: true, requestBody: { ...body } });
      expect(equalOnly[0]).toMatchObject({ input: body });
      expect(equalOnly[0]).not.toHaveProperty("inputFrom");
      const later = compactTrace([entry("x", { c: 1 }, { c: 1 }), entry("y", body, 1)], { requestBody: body });
      expect(later[1]).toMatchObject({ input: body });
      expect(later[1]).not.toHaveProperty("inputFrom");
    });

    it("shows a node's id as its name and type when the version or the node is gone", () => {
      const lean = roundTrip(compactTrace(trace(), { withoutNodeNames: true, requestBody: body }));
      const expanded = expandTrace(lean, { nodes: new Map([["map", { type: "map", name: "Map" }]]), request });
      expect(expanded[0]).toMatchObject({ nodeId: "trigger", type: "trigger", name: "trigger", input: body, output: body });
      expect(expanded[2]).toMatchObject({ type: "map", name: "Map", input: body, output: record });
      expect(expandTrace(lean)[1]).toMatchObject({ nodeId: "auth", type: "auth", name: "auth" });
    });

    it("reads an old row whose second node is called \"request\" as linked to the previous output", () => {
      const old = compactTrace([entry("request", body, record), entry("map", record, 1)]);
      expect(old[1]!.inputFrom).toBe("request");
      expect(expandTrace(roundTrip(old), { request: { body: "other" } })[1]!.input).toEqual(record);
    });
  });
});
