/**
 * The request schema and the engine must agree on every field, for every shipped flow: each field the
 * map expression reads is in the schema, and each schema field documented as feeding an ERP field
 * really reaches that field when the flow runs (a dry run of the real engine, not the mapping model:
 * the model is what is under test).
 */
import { describe, expect, it } from "vitest";
import { loadExampleFlows } from "@/flows/examples";
import { mappedFields } from "@/flows/mapper/model";
import type { FlowFile } from "@/flows/format";
import { triggerHttpConfigSchema } from "@/flows/nodes/trigger.http/definition";
import { compileFlow } from "@/server/engine/compile";
import { execute } from "@/server/engine/execute";
import { demoErp } from "@/server/engine/testing/fixtures";
import { INCOMING_PREFIX } from "./handle-incoming";
import { buildOpenApiDocument, type JsonSchema } from "./openapi";

type Json = Record<string, unknown>;

const incoming = loadExampleFlows().filter((f) => f.direction === "incoming" && f.nodes.some((n) => n.type === "trigger.http"));

function schemaAt(root: JsonSchema, path: string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const name of path) node = (node?.properties as Record<string, JsonSchema> | undefined)?.[name];
  return node;
}

/** Every leaf property under `root`, with its path. */
function leaves(root: JsonSchema, prefix: string[] = []): { path: string[]; schema: JsonSchema }[] {
  const properties = root.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return prefix.length > 0 ? [{ path: prefix, schema: root }] : [];
  return Object.entries(properties).flatMap(([name, child]) => leaves(child, [...prefix, name]));
}

function setAt(target: Json, path: string[], value: unknown): void {
  let node = target;
  for (const name of path.slice(0, -1)) node = (node[name] ??= {}) as Json;
  node[path[path.length - 1]!] = value;
}

function getAt(source: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, name) => (node && typeof node === "object" ? (node as Json)[name] : undefined), source);
}

/** A value of the same kind as the sample's, but different, so a change must show at the target. */
function otherValue(value: unknown): unknown {
  if (typeof value === "number") return value + 7;
  if (typeof value === "boolean") return !value;
  return `${typeof value === "string" ? value : "x"}q`;
}

interface Contract {
  flow: FlowFile;
  mapId: string;
  expression: string;
  /** The schema of one record (the item in batch mode) and of the whole body. */
  item: JsonSchema;
  body: JsonSchema;
  itemsField?: string;
}

function contractOf(flow: FlowFile): Contract {
  const doc = buildOpenApiDocument([{ slug: flow.slug, definition: flow }], { serverUrl: "https://erp.example" });
  const body = doc.paths[`${INCOMING_PREFIX}/${flow.slug}`]!.post.requestBody.content["application/json"].schema;
  const trigger = triggerHttpConfigSchema.parse(flow.nodes.find((n) => n.type === "trigger.http")!.config);
  const map = flow.nodes.find((n) => n.type === "map")!;
  const itemsField = trigger.mode === "batch" ? trigger.itemsField : undefined;
  const item = trigger.mode === "single" ? body : ((itemsField ? schemaAt(body, itemsField.split(".")) : body)!.items as JsonSchema);
  return { flow, mapId: map.id, expression: String(map.config.expression), item, body, itemsField };
}

/** The map node's output for the first record of `payload`, from a real dry run. */
async function mapOutput(contract: Contract, payload: unknown, headers: Record<string, string> | undefined): Promise<unknown> {
  const result = await execute(compileFlow(contract.flow), payload, { services: demoErp(), mode: "dry", headers });
  const entry = result.trace.find((e) => e.nodeId === contract.mapId && (e.item === undefined || e.item === 0));
  expect(entry, `${contract.flow.slug}: the map node ran`).toBeDefined();
  return entry!.output;
}

describe("the OpenAPI request schema agrees with what the engine runs", () => {
  it("covers every incoming example flow", () => {
    expect(incoming.map((f) => f.slug).sort()).toEqual(["attendance-import", "invoice-update", "lead-enquiry", "material-receipt", "vendor-master"]);
  });

  describe.each(incoming.map((f) => [f.slug, f] as const))("%s", (_slug, flow) => {
    const contract = contractOf(flow);

    it("lists every field the map expression reads", () => {
      const { reads } = mappedFields(contract.expression);
      expect(reads.length).toBeGreaterThan(0);
      for (const read of reads) {
        const root = read.scope === "item" ? contract.item : contract.body;
        expect(schemaAt(root, read.path), `${flow.slug}: ${read.scope} field ${read.path.join(".")}`).toBeDefined();
      }
    });

    it("brings each documented field to its ERP field in a dry run", async () => {
      const sample = flow.samples.find((s) => s.expect?.status === "SUCCESS")!;
      const documented = [
        ...leaves(contract.item).map((l) => ({ ...l, scope: "item" as const })),
        ...leaves(contract.body)
          .filter((l) => l.path.join(".") !== contract.itemsField && !(contract.itemsField && l.path.join(".").startsWith(`${contract.itemsField}.`)))
          .filter(() => contract.item !== contract.body)
          .map((l) => ({ ...l, scope: "body" as const })),
      ].filter((l) => typeof l.schema["x-erp-field"] === "string");
      expect(documented.length).toBeGreaterThan(0);
      for (const field of documented) {
        const payload = structuredClone(sample.payload) as Json;
        const record = field.scope === "item" && contract.itemsField ? (getAt(payload, contract.itemsField.split(".")) as Json[])[0]! : payload;
        const original = getAt(record, field.path);
        const before = await mapOutput(contract, payload, sample.headers);
        const changed = otherValue(original);
        setAt(record, field.path, changed);
        const after = await mapOutput(contract, payload, sample.headers);
        const direct = !String(field.schema.description ?? "").includes("(via ");
        for (const target of String(field.schema["x-erp-field"]).split(", ")) {
          const where = `${flow.slug}: ${field.path.join(".")} → ${target}`;
          expect(getAt(after, target.split(".")), where).not.toEqual(getAt(before, target.split(".")));
          if (direct) expect(getAt(after, target.split(".")), where).toEqual(changed);
        }
      }
    });
  });

  it("follows the expression, not a stale table stored beside it", async () => {
    const vendor = loadExampleFlows().find((f) => f.slug === "vendor-master")!;
    const flow = structuredClone(vendor);
    const map = flow.nodes.find((n) => n.type === "map")!;
    // The analyst edited the code: the name now comes from `legalName`, the phone from two fields.
    map.config.expression = String(map.config.expression)
      .replace('"Vendor_Name": vendorName', '"Vendor_Name": legalName')
      .replace('"Phone_No": mobile', '"Phone_No": countryCode & mobile');
    const contract = contractOf(flow);
    const properties = Object.keys(contract.item.properties as Json);
    expect(properties).toEqual(expect.arrayContaining(["legalName", "countryCode", "mobile"]));
    expect(properties).not.toContain("vendorName");
    expect(schemaAt(contract.item, ["legalName"])).toMatchObject({ "x-erp-field": "Vendor_Name", type: "string" });
    // A part of a concatenation is listed, but the target's rules do not bind it alone.
    expect(schemaAt(contract.item, ["countryCode"])).toMatchObject({ "x-erp-field": "Phone_No" });
    expect(contract.item.required).not.toContain("countryCode");
    const output = await mapOutput(contract, { ...vendor.samples[0]!.payload as Json, legalName: "Acme Ltd", countryCode: "+91" }, vendor.samples[0]!.headers);
    expect(output).toMatchObject({ Vendor_Name: "Acme Ltd", Phone_No: "+919876543210" });
  });
});
