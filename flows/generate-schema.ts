/**
 * Writes `flows/flow.schema.json` from the zod format, so the JSON Schema can never drift from the
 * format the code accepts (a test fails when the committed file is stale).
 *
 *   node --import tsx flows/generate-schema.ts
 */
import { z } from "zod";
import { flowFileSchema } from "./format";

export const FLOW_SCHEMA_FILE = "flows/flow.schema.json";

/** The JSON Schema text of a flow file, exactly as committed. */
export function renderFlowJsonSchema(): string {
  const schema = z.toJSONSchema(flowFileSchema, { io: "input", target: "draft-2020-12" });
  const document = {
    ...schema,
    $id: "https://flowport.dev/schemas/flow.schema.json",
    title: "Flowport flow",
    description: "A Flowport integration flow: a graph of typed nodes, its samples and its return status rules. Generated from flows/format.ts; do not edit.",
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

async function main(): Promise<void> {
  const { writeFile } = await import("node:fs/promises");
  const path = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const target = path.join(root, FLOW_SCHEMA_FILE);
  await writeFile(target, renderFlowJsonSchema());
  console.log(`wrote ${FLOW_SCHEMA_FILE}`);
}

const invokedDirectly = typeof process !== "undefined" && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
