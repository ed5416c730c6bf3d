/**
 * No switch on node type outside the node folders and the registries (issue 16): code elsewhere asks
 * a definition's capabilities (`nodesWith(nodes, "recordWrite")`, `definition.inspector.editor`…),
 * so a new node type is its folder plus a registry line. A static scan of app/, server/ and flows/
 * finds comparisons with a node-type name, `case "<type>":`, `startsWith("trigger.")` and trigger
 * type names; the few places that must name a type are listed below with their reason and count.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_TYPES } from "./registry";

const ROOT = join(import.meta.dirname, "..", "..");
const SCANNED = ["app", "server", "flows"];

/** Files that may name node types, how many times, and why. A new hit anywhere else (or one more here) fails. */
const ALLOWED: Record<string, { hits: number; reason: string }> = {
  "server/engine/executors.ts": { hits: 4, reason: "the server registry: node type → executor" },
  "server/outgoing/schedules.ts": { hits: 2, reason: "the scheduler is the server half of trigger.schedule: it finds and reads that trigger's flows" },
  "server/outgoing/manual-send.ts": { hits: 4, reason: "Send to API is the server half of trigger.manual (and re-sends of trigger.event): it reads those triggers' configs" },
  "server/jobs/event-pump.ts": { hits: 1, reason: "the event pump is the server half of trigger.event: it finds the flows that trigger starts" },
  "server/outgoing/testing-receiver.ts": { hits: 9, reason: "test fixture builder: reshapes example flows into delivery test scenarios by node type" },
  "flows/runtime/testing/flow-builder.ts": { hits: 1, reason: "test fixture builder: the HTTP trigger of test flows" },
  "flows/mapper/transforms.ts": { hits: 2, reason: '"lookup" here is a mapper transform kind, not a node type' },
  "app/components/designer/mapper/transform-picker.tsx": { hits: 1, reason: '"lookup" here is a mapper transform kind, not a node type' },
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The places in `source` that branch on (or name) a node type; one entry per hit, as `line: text`. */
export function findTypeSwitches(source: string, types: readonly string[] = NODE_TYPES): string[] {
  const names = types.map(escape).join("|");
  const patterns = [
    new RegExp(`\\btype\\s*[!=]==?\\s*["'\`](?:${names})["'\`]`),
    new RegExp(`["'\`](?:${names})["'\`]\\s*[!=]==?\\s*[\\w.?!()\\]\\[]*\\btype\\b`),
    new RegExp(`\\bcase\\s+["'\`](?:${names})["'\`]\\s*:`),
    /\.startsWith\(\s*["'`]trigger\./,
    // Dotted type names cannot mean anything else: a trigger named anywhere (a key, an argument…).
    new RegExp(`["'\`](?:${types.filter((t) => t.includes(".")).map(escape).join("|") || "(?!)"})["'\`]`),
  ];
  const hits: string[] = [];
  source.split("\n").forEach((line, i) => {
    if (patterns.some((p) => p.test(line))) hits.push(`${i + 1}: ${line.trim()}`);
  });
  return hits;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("node types are plug-ins: no switch on a node-type name outside the node folders", () => {
  it("finds the kinds of switch it is meant to find (and leaves other strings alone)", () => {
    expect(findTypeSwitches('if (node.type === "map") return;')).toHaveLength(1);
    expect(findTypeSwitches('const store = flow.nodes.find((n) => n.type === "store");')).toHaveLength(1);
    expect(findTypeSwitches('if ("validate" !== node.type) x();')).toHaveLength(1);
    expect(findTypeSwitches('switch (node.type) {\n  case "send":\n    break;\n}')).toEqual(['2: case "send":']);
    expect(findTypeSwitches('flow.nodes.find((n) => n.type.startsWith("trigger."))')).toHaveLength(1);
    expect(findTypeSwitches('listOutgoingFlows(sql, "trigger.schedule")')).toHaveLength(1);
    expect(findTypeSwitches('if (definition.type === "uppercase") {}', [...NODE_TYPES, "uppercase"])).toHaveLength(1);
    expect(findTypeSwitches('const kind = "map"; items.map((x) => x); if (status === "SUCCESS") {}')).toEqual([]);
  });

  it("no production file outside flows/nodes/ names a node type, except the allow-listed ones (each with its reason)", () => {
    const found: Record<string, string[]> = {};
    for (const dir of SCANNED) {
      for (const file of sourceFiles(dir)) {
        const path = relative(ROOT, join(ROOT, file)).split("\\").join("/");
        if (path.startsWith("flows/nodes/")) continue;
        const hits = findTypeSwitches(readFileSync(join(ROOT, file), "utf8"));
        if (hits.length > 0) found[path] = hits;
      }
    }
    const unexpected = Object.entries(found).filter(([path, hits]) => ALLOWED[path]?.hits !== hits.length);
    expect(Object.fromEntries(unexpected), "use a capability of the node definition (flows/nodes/define.ts) instead").toEqual({});
    // An allow-list entry that no longer matches anything is stale: drop it.
    expect(Object.keys(ALLOWED).filter((path) => !found[path])).toEqual([]);
  });
});
