import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleFlowSources, EXAMPLE_SLUGS } from "./examples";
import { DEFAULT_STATUS_RULES, FlowFormatError, parseFlow, safeParseFlow, serializeFlow } from "./format";
import { FLOW_SCHEMA_FILE, renderFlowJsonSchema } from "./generate-schema";

const root = path.resolve(import.meta.dirname, "..");
const minimal = {
  formatVersion: 1,
  slug: "tiny",
  name: "Tiny",
  direction: "incoming",
  nodes: [{ id: "trigger", type: "trigger.http", name: "In", position: { x: 0, y: 0 }, config: { slug: "tiny" } }],
  edges: [],
};

describe("flow file format", () => {
  it.each(EXAMPLE_SLUGS)("round-trips %s byte for byte (parse → serialize)", (slug) => {
    const text = readFileSync(path.join(root, "flows/examples", `${slug}.flow.json`), "utf8");
    expect(serializeFlow(parseFlow(text))).toBe(text);
  });

  it("gives the same flow from text and from a parsed value", () => {
    const source = exampleFlowSources["vendor-master"];
    expect(parseFlow(JSON.stringify(source))).toEqual(parseFlow(source));
  });

  it("fills defaults: samples, status rules, options", () => {
    const flow = parseFlow(minimal);
    expect(flow.samples).toEqual([]);
    expect(flow.description).toBe("");
    expect(flow.statusRules).toEqual(DEFAULT_STATUS_RULES);
    expect(flow.statusRules.SUCCESS).toEqual({ httpStatus: 200, message: "Record saved successfully" });
    expect(flow.statusRules.DUPLICATE.httpStatus).toBe(409);
    expect(flow.statusRules.ERROR.httpStatus).toBe(500);
    expect(flow.options).toEqual({ batchAllOrNothing: false, failedQueue: true, logPayloads: true });
  });

  it("serializes canonically whatever the input key order", () => {
    const shuffled = { edges: [], nodes: minimal.nodes, direction: "incoming", name: "Tiny", slug: "tiny", formatVersion: 1 };
    const text = serializeFlow(parseFlow(shuffled));
    expect(text.indexOf('"formatVersion"')).toBeLessThan(text.indexOf('"slug"'));
    expect(text.endsWith("}\n")).toBe(true);
    expect(serializeFlow(parseFlow(text))).toBe(text);
  });

  it("keeps a node's config as written (checked later, per node)", () => {
    const flow = parseFlow({ ...minimal, nodes: [{ ...minimal.nodes[0]!, config: { slug: "tiny", unknownKey: [1, { a: 2 }] } }] });
    expect(flow.nodes[0]!.config).toEqual({ slug: "tiny", unknownKey: [1, { a: 2 }] });
  });

  it("reports every problem with its path", () => {
    const result = safeParseFlow({ ...minimal, slug: "Not A Slug", direction: "sideways", extra: true, nodes: [{ id: "1bad" }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["slug", "direction", "nodes.0.id", "nodes.0.type", ""]));
  });

  it("rejects bad JSON text and unknown format versions", () => {
    expect(safeParseFlow("{ not json")).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining("not valid JSON") }] });
    expect(() => parseFlow({ ...minimal, formatVersion: 2 })).toThrow(FlowFormatError);
  });

  it("accepts sample expectations and rejects unknown statuses", () => {
    const sample = { name: "ok", payload: { a: 1 }, expect: { status: "DUPLICATE", httpStatus: 409, errorCode: "DUPLICATE_RECORD", record: { A: 1 } } };
    expect(parseFlow({ ...minimal, samples: [sample] }).samples[0]!.expect?.status).toBe("DUPLICATE");
    expect(safeParseFlow({ ...minimal, samples: [{ ...sample, expect: { status: "MAYBE" } }] }).ok).toBe(false);
  });
});

describe("flow.schema.json", () => {
  it("is up to date with flows/format.ts (run: node --import tsx flows/generate-schema.ts)", () => {
    const committed = readFileSync(path.join(root, FLOW_SCHEMA_FILE), "utf8");
    expect(committed).toBe(renderFlowJsonSchema());
  });

  it("describes the top-level fields", () => {
    const schema = JSON.parse(renderFlowJsonSchema()) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(["formatVersion", "slug", "name", "direction", "nodes", "edges"]));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["samples", "statusRules", "options"]));
  });
});
