import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildFlow, httpTrigger } from "@/flows/runtime/testing/flow-builder";
import { capabilityOf, firstWith, getNodeDefinition, NODE_TYPES, nodeDefinitions, nodePalette, nodesWith, type NodeType } from "./registry";

/** Every property name anywhere in a JSON Schema (nested objects, unions). */
function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => propertyNames(s, into));
  else if (schema && typeof schema === "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "properties" && value && typeof value === "object") Object.keys(value).forEach((k) => into.add(k));
      propertyNames(value, into);
    }
  }
  return into;
}

/** For each node type: configs that must parse, and configs that must not (with the path blamed). */
const cases: Record<NodeType, { valid: object[]; invalid: [object, string][] }> = {
  "trigger.http": {
    valid: [{ slug: "vendor-master" }, { slug: "attendance-import", mode: "batch", itemsField: "punches", maxItems: 5000 }],
    invalid: [[{ slug: "Vendor Master" }, "slug"], [{ slug: "a", method: "GET" }, "method"], [{ slug: "a", mode: "many" }, "mode"], [{ slug: "a", maxItems: 0 }, "maxItems"]],
  },
  "trigger.event": {
    valid: [{ entity: "Vendor", event: "created" }, { entity: "Invoice", event: "status_changed", toStatus: "approved", fromStatus: "submitted" }],
    invalid: [[{ entity: "Invoice", event: "status_changed" }, "toStatus"], [{ entity: "Invoice", event: "deleted" }, "event"], [{ event: "created" }, "entity"]],
  },
  "trigger.manual": {
    valid: [{ entity: "Vendor" }, { entity: "Invoice", allowBulk: false }],
    invalid: [[{}, "entity"], [{ entity: "Vendor", extra: 1 }, ""]],
  },
  "trigger.schedule": {
    valid: [
      { cron: "30 23 * * *", entity: "Invoice", filter: { Status: "approved" } },
      { cron: "*/15 9-18 * * MON-FRI", timezone: "UTC", selection: "$lookup('Invoice', 'x')" },
      { cron: "0 0 1 JAN,JUL *", entity: "Invoice" },
    ],
    invalid: [
      [{ cron: "every day", entity: "Invoice" }, "cron"],
      [{ cron: "61 * * * *", entity: "Invoice" }, "cron"],
      [{ cron: "0 2 * * *", timezone: "Mars/Olympus", entity: "Invoice" }, "timezone"],
      [{ cron: "0 2 * * *" }, "entity"],
    ],
  },
  auth: {
    valid: [{ direction: "incoming", methods: ["api_key", "bearer"] }, { direction: "incoming", methods: ["signature"], toleranceSeconds: 60 }, { direction: "outgoing", credential: "accounting-api-token" }],
    invalid: [[{ direction: "incoming", methods: [] }, "methods"], [{ direction: "incoming", methods: ["api_key", "api_key"] }, "methods"], [{ direction: "incoming", methods: ["password"] }, "methods.0"], [{ direction: "outgoing" }, "credential"], [{ direction: "sideways" }, "direction"]],
  },
  map: {
    valid: [{ expression: '{"A": a}' }, { expression: '{"A": a}', mappings: [{ source: "a", target: "A", transform: "$trim" }] }],
    invalid: [[{ expression: "  " }, "expression"], [{}, "expression"], [{ expression: "a", mappings: [{ source: "a", target: "bad target!" }] }, "mappings.0.target"]],
  },
  validate: {
    valid: [{ rules: [] }, { rules: [{ field: "GST_No", rule: "format", format: "gstin", code: "INVALID_GST", message: "GST number is invalid" }] }],
    invalid: [
      [{ rules: [{ field: "A", rule: "sometimes" }] }, "rules.0.rule"],
      [{ rules: [{ field: "A", rule: "length" }] }, "rules.0"],
      [{ rules: [{ field: "A", rule: "range", min: 5, max: 1 }] }, "rules.0"],
      [{ rules: [{ field: "A", rule: "required", code: "lower_case" }] }, "rules.0.code"],
      [{ rules: [{ field: "A", rule: "regex", pattern: "x", flags: "g" }] }, "rules.0.flags"],
      [{ rules: [{ field: "A", rule: "format", format: "aadhaar" }] }, "rules.0.format"],
      [{ rules: [{ field: "A", rule: "enum", values: [] }] }, "rules.0.values"],
    ],
  },
  branch: {
    valid: [{ condition: "amount > 1000" }],
    invalid: [[{ condition: "" }, "condition"], [{}, "condition"]],
  },
  lookup: {
    valid: [{ entity: "City", key: "City", target: "city" }, { entity: "Vendor", key: "GST_No", keyField: "GST_No", target: "vendor", onMissing: "continue" }],
    invalid: [[{ entity: "City", key: "City", target: "1city" }, "target"], [{ entity: "City", key: "City", target: "c", onMissing: "explode" }, "onMissing"]],
  },
  store: {
    valid: [{ entity: "Vendor" }, { entity: "Vendor", mode: "insert", series: "VEND-" }, { entity: "Invoice", mode: "upsert", keyField: "Invoice_No" }],
    invalid: [[{ entity: "Invoice", mode: "upsert" }, "keyField"], [{ entity: "Vendor", series: "vend-" }, "series"], [{ entity: "Vendor", mode: "replace" }, "mode"]],
  },
  send: {
    valid: [
      { connection: "accounting-system", path: "/api/v1/receive-data" },
      { connection: "payment-portal", method: "PUT", path: "/v2/vendors", headers: { "X-Source": "flowport" }, successCondition: "status = 201", referenceIdExpression: "data.id", retry: { maxAttempts: 3, backoff: "fixed" } },
    ],
    invalid: [
      [{ connection: "a", path: "api/no-slash" }, "path"],
      [{ connection: "a", path: "/x", headers: { Authorization: "Bearer secret" } }, "headers"],
      [{ connection: "a", path: "/x", timeoutMs: 10 }, "timeoutMs"],
      [{ connection: "a", path: "/x", retry: { maxAttempts: 0 } }, "retry.maxAttempts"],
      [{ connection: "a", path: "/x", method: "TRACE" }, "method"],
    ],
  },
  respond: {
    valid: [{}, { status: "SUCCESS", message: "Enquiry received" }, { status: "FAILED", errorCode: "CONTACT_REQUIRED", message: "Give a contact" }],
    invalid: [[{ status: "FAILED" }, "errorCode"], [{ status: "MAYBE" }, "status"]],
  },
};

describe.each(NODE_TYPES.map((t) => [t]))("%s definition", (type) => {
  const definition = getNodeDefinition(type)!;

  it("has complete designer metadata", () => {
    expect(definition.type).toBe(type);
    expect(definition.label).not.toBe("");
    expect(definition.icon).toMatch(/^[a-z-]+$/);
    expect(definition.help.length).toBeGreaterThan(20);
    expect(definition.directions.length).toBeGreaterThan(0);
    expect(definition.ports.inputs).toEqual(definition.trigger ? [] : ["in"]);
  });

  it("labels in its inspector only fields its config has", () => {
    const names = propertyNames(z.toJSONSchema(definition.configSchema, { io: "input" }));
    expect(Object.keys(definition.inspector.fields).filter((key) => !names.has(key))).toEqual([]);
  });

  it("starts new nodes in each direction it supports valid, but for blanks left to fill in, and set up for that direction", () => {
    for (const direction of definition.directions) {
      const config = (definition.initialConfig?.({ slug: "vendor-master", direction }) ?? definition.defaults) as Record<string, unknown>;
      const issues = definition.configSchema.safeParse(config).error?.issues ?? [];
      expect(issues.filter((i) => config[String(i.path[0])] !== "")).toEqual([]);
      if (definition.configDirection) expect(config.direction).toBe(direction);
    }
  });

  it("starts new nodes from defaults that are valid", () => {
    const parsed = definition.configSchema.safeParse(definition.defaults);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(definition.summarize(parsed.data)).not.toBe("");
  });

  it.each(cases[type].valid.map((c) => [JSON.stringify(c), c]))("accepts %s", (_label, config) => {
    const parsed = definition.configSchema.safeParse(config);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(typeof definition.summarize(parsed.data)).toBe("string");
    expect(definition.inspect(parsed.data)).toMatchObject({ expressions: expect.any(Array), regexes: expect.any(Array), references: expect.any(Array) });
  });

  it.each(cases[type].invalid.map(([c, p]) => [JSON.stringify(c), c, p] as const))("rejects %s", (_label, config, path) => {
    const parsed = definition.configSchema.safeParse(config);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

describe("registry", () => {
  it("holds one definition per node type", () => {
    expect(Object.keys(nodeDefinitions).sort()).toEqual([...NODE_TYPES].sort());
    expect(getNodeDefinition("nope")).toBeUndefined();
  });

  it("groups the palette by category", () => {
    const palette = nodePalette();
    expect(palette.map((g) => g.category)).toEqual(["Triggers", "Security", "Transform", "Validate", "Actions", "Respond"]);
    expect(palette[0]!.nodes.map((n) => n.type)).toEqual(["trigger.http", "trigger.event", "trigger.manual", "trigger.schedule"]);
    expect(palette.flatMap((g) => g.nodes)).toHaveLength(NODE_TYPES.length);
  });

  it("gives branch its true and false outputs", () => {
    expect(nodeDefinitions.branch.ports.outputs).toEqual(["true", "false"]);
    expect(nodeDefinitions.respond.ports.outputs).toEqual([]);
  });

  it("summarizes configured nodes in one line", () => {
    expect(nodeDefinitions["trigger.event"].summarize({ entity: "Invoice", event: "status_changed", toStatus: "approved" })).toBe("Invoice status → approved");
    expect(nodeDefinitions.store.summarize({ entity: "Invoice", mode: "upsert", keyField: "Invoice_No" })).toBe("upsert Invoice by Invoice_No");
    expect(nodeDefinitions.auth.summarize({ direction: "incoming", methods: ["api_key", "bearer"], toleranceSeconds: 300 })).toBe("x-api-key or Bearer token");
  });
});

describe("capabilities: what the rest of Flowport asks instead of a node's type name", () => {
  const flow = buildFlow({
    nodes: [
      httpTrigger({ mode: "batch" }),
      ["auth", "auth", { direction: "incoming", methods: ["api_key"] }],
      ["map", "map", { expression: '{"Vendor_Name": name}' }],
      ["validate", "validate", { rules: [{ field: "Vendor_Name", rule: "required" }] }],
      ["city", "lookup", { entity: "City", key: "city", target: "city" }],
      ["store", "store", { entity: "Vendor", mode: "upsert", keyField: "GST_No" }],
      ["respond", "respond", { status: "FAILED", errorCode: "NOPE" }],
    ],
  });
  const node = (id: string) => flow.nodes.find((n) => n.id === id)!;

  it("answer from the parsed config, defaults filled in", () => {
    expect(capabilityOf(node("trigger"), "endpoint")?.batch({ mode: "batch" })).toBe(true);
    expect(capabilityOf(node("auth"), "callerAuth")).toEqual({ methods: ["api_key"], toleranceSeconds: 300 });
    expect(capabilityOf(node("map"), "mapping")).toBe('{"Vendor_Name": name}');
    expect(capabilityOf(node("validate"), "fieldRules")).toEqual([{ field: "Vendor_Name", rule: "required" }]);
    expect(capabilityOf(node("city"), "lookup")).toMatchObject({ entity: "City", key: "city", onMissing: "fail" });
    expect(capabilityOf(node("store"), "recordWrite")).toEqual({ entity: "Vendor", mode: "upsert", series: undefined });
    expect(capabilityOf(node("respond"), "answer")).toEqual({ status: "FAILED", errorCode: "NOPE", message: undefined });
    expect(nodeDefinitions.send.delivery!(nodeDefinitions.send.configSchema.parse({ connection: "c", path: "/x" }))).toMatchObject({ maxAttempts: expect.any(Number) });
  });

  it("are declared only by the types that have them, and skip nodes whose config is invalid", () => {
    expect(nodesWith(flow.nodes, "recordWrite").map((n) => n.node.id)).toEqual(["store"]);
    expect(nodesWith(flow.nodes, "mapping").map((n) => n.node.id)).toEqual(["map"]);
    expect(capabilityOf(node("store"), "mapping")).toBeUndefined();
    const broken = { ...node("store"), config: { entity: "Vendor", mode: "upsert" } };
    expect(firstWith([broken], "recordWrite")).toBeUndefined();
  });

  it("keep config written for one direction in it, and follow the flow's slug", () => {
    expect(nodeDefinitions.auth.configDirection!({ direction: "outgoing", credential: "x" })).toBe("outgoing");
    expect(nodeDefinitions.auth.initialConfig!({ slug: "s", direction: "outgoing" })).toEqual({ direction: "outgoing", credential: "" });
    expect(nodeDefinitions["trigger.http"].initialConfig!({ slug: "vendor-master", direction: "incoming" })).toMatchObject({ slug: "vendor-master" });
    expect(nodeDefinitions["trigger.http"].endpoint!.withSlug({ slug: "a", method: "POST", mode: "single", maxItems: 1000 }, "b")).toMatchObject({ slug: "b" });
  });
});
