/** The `flowport flows` commands as a user runs them: real processes against a real database. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { childEnv, spawnNode } from "../testing/processes";

const database = useTestDatabase();

const flowport = async (...args: string[]) => {
  const run = spawnNode(["bin/flowport.js", ...args], childEnv({ DATABASE_URL: database().url, FLOWPORT_DATA_DIR: os.tmpdir() }));
  const code = await run.exited;
  return { code, output: run.output() };
};

describe("flowport flows", () => {
  it("tests the seed's sample on vendor-master: SUCCESS with the mapped record, nothing saved", async () => {
    const { code, output } = await flowport("flows", "test", "vendor-master", "--sample", "Seed sample (§3.3)");
    expect(code).toBe(0);
    expect(output).toMatch(/^SUCCESS → HTTP 200/m);
    expect(output).toContain('"Vendor_Name": "ABC Suppliers"');
    // The sample's gstNumber is {{unique}}: the run says what it became, and the record carries it.
    const gst = /^generated gstNumber: \{\{unique\}\} → (\w{15})$/m.exec(output)?.[1];
    expect(gst).toMatch(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/);
    expect(output).toContain(`"GST_No": "${gst}"`);
    const { sql } = database();
    expect(await sql`select 1 from records where data->>'GST_No' = ${gst!} and entity = 'Vendor'`).toHaveLength(0);
  }, 60_000);

  it("runs every sample of every flow with --all and fails on any difference", async () => {
    const all = await flowport("flows", "test", "--all", "--json");
    expect(all.code).toBe(0);
    const report = JSON.parse(all.output.slice(all.output.indexOf("{"))) as { ok: boolean; passed: number; failed: number };
    expect(report).toMatchObject({ ok: true, failed: 0 });
    expect(report.passed).toBeGreaterThanOrEqual(20);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-flows-"));
    const flow = JSON.parse(fs.readFileSync("flows/examples/vendor-master.flow.json", "utf8"));
    flow.slug = "vendor-master-wrong";
    flow.samples[0].expect.status = "DUPLICATE";
    fs.writeFileSync(path.join(dir, "wrong.flow.json"), JSON.stringify(flow));
    const wrong = await flowport("flows", "test", "--all", dir);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/status: expected DUPLICATE, got SUCCESS/);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("validates files, naming the node of each problem; export then import gives an identical file", async () => {
    expect((await flowport("flows", "validate", "flows/examples")).code).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-flows-"));
    const flow = JSON.parse(fs.readFileSync("flows/examples/lead-enquiry.flow.json", "utf8"));
    flow.edges = flow.edges.slice(1);
    fs.writeFileSync(path.join(dir, "broken.flow.json"), JSON.stringify(flow));
    const broken = await flowport("flows", "validate", path.join(dir, "broken.flow.json"));
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/UNREACHABLE|not reachable/i);

    const exported = await flowport("flows", "export", "--out", dir);
    expect(exported.code).toBe(0);
    for (const name of fs.readdirSync("flows/examples").filter((f) => f.endsWith(".flow.json"))) {
      expect(fs.readFileSync(path.join(dir, name), "utf8"), name).toBe(fs.readFileSync(path.join("flows/examples", name), "utf8"));
    }
    // A broken draft may be saved (drafts are work in progress) but never published.
    const reimport = await flowport("flows", "import", dir, "--publish");
    expect(reimport.code).toBe(2); // VALIDATION_FAILED: exit 2 (flows/app-errors.ts)
    expect(reimport.output).toMatch(/lead-enquiry/);
    fs.rmSync(path.join(dir, "broken.flow.json"));
    expect((await flowport("flows", "import", dir, "--publish", "--json")).code).toBe(0);
    const list = await flowport("flows", "list", "--json");
    const flows = JSON.parse(list.output.slice(list.output.indexOf("["))) as Array<{ slug: string; publishedVersion: number; hasDraftChanges: boolean }>;
    expect(flows.find((f) => f.slug === "vendor-master")).toMatchObject({ publishedVersion: 1, hasDraftChanges: false });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});
