import { describe, expect, it } from "vitest";
import { serializeFlow } from "@/flows/format";
import { loadExampleFlow } from "@/flows/examples";
import { diffStats, sideBySide } from "./side-by-side";

describe("side-by-side diff", () => {
  it("pairs a changed line with its replacement and folds the unchanged rest", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const rows = sideBySide(before, after);
    expect(rows.find((r) => r.kind === "changed")).toEqual({ kind: "changed", left: { line: 10, text: "line 10" }, right: { line: 10, text: "line ten" } });
    expect(rows[0]).toEqual({ kind: "fold", hidden: 9 - 3 });
    expect(rows.at(-1)).toEqual({ kind: "fold", hidden: 10 - 3 });
    expect(diffStats(rows)).toEqual({ added: 1, removed: 1 });
  });

  it("shows a flow's changed validation message between two versions", () => {
    const v1 = loadExampleFlow("vendor-master");
    const v2 = structuredClone(v1);
    (v2.nodes[3]!.config.rules as { message: string }[])[2]!.message = "GSTIN looks wrong";
    const rows = sideBySide(serializeFlow(v1), serializeFlow(v2));
    const changed = rows.filter((r) => r.kind === "changed");
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ left: { text: expect.stringContaining("GST number is invalid") }, right: { text: expect.stringContaining("GSTIN looks wrong") } });
  });
});
