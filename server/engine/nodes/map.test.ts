/** The map node type (flows/nodes/map), run through the real engine: compile and execute are the server's, so these tests live here. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow } from "@/server/engine/testing/flow-builder";
import { demoErp, DEMO_NOW } from "@/server/engine/testing/fixtures";
import { expressionToRows, rowsToExpression } from "@/flows/mapper/model";
import { mapDefinition } from "@/flows/nodes/map/definition";

const seed = { vendorName: "ABC Suppliers", gstNumber: "27ABCDE1234F1Z5", contactPerson: "Ramesh Sharma", mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" };
const rows = [
  { source: "vendorName", target: "Vendor_Name" },
  { source: "gstNumber", target: "GST_No" },
  { source: "contactPerson", target: "Contact_Person" },
  { source: "mobile", target: "Phone_No" },
  { source: "email", target: "Email" },
  { source: "city", target: "City" },
];

const map = (expression: string, input: unknown, options = {}) => runFlow({ nodes: [httpTrigger(), ["map", "map", { expression }]] }, input, options);

describe("map executor", () => {
  it("maps the seed's sample to the seed's ERP fields", async () => {
    const result = await map(rowsToExpression(rows), seed);
    expect(result.trace[1]!.output).toEqual({
      Vendor_Name: "ABC Suppliers",
      GST_No: "27ABCDE1234F1Z5",
      Contact_Person: "Ramesh Sharma",
      Phone_No: "9876543210",
      Email: "abc@xyz.com",
      City: "Mumbai",
    });
  });

  it("returns plain arrays, not JSONata sequences", async () => {
    const result = await map('{"tags": tags.$uppercase($), "one": [single]}', { tags: ["a", "b"], single: "x" });
    const output = result.trace[1]!.output as { tags: unknown[]; one: unknown[] };
    expect(output).toEqual({ tags: ["A", "B"], one: ["x"] });
    expect(Object.keys(output.tags)).toEqual(["0", "1"]);
    expect((output.tags as { sequence?: boolean }).sequence).toBeUndefined();
  });

  it("sees $trigger, $headers, $flow and $mode", async () => {
    const result = await map('{"h": $headers.`x-source`, "slug": $flow.slug, "mode": $mode, "orig": $trigger.a}', { a: 1 }, { headers: { "X-Source": "crm" }, mode: "dry" });
    expect(result.trace[1]!.output).toEqual({ h: "crm", slug: "test-flow", mode: "dry", orig: 1 });
  });

  it("uses Flowport's functions and the services' clock", async () => {
    const expression = '{"gst": $gstinValid(g), "date": $formatDate(d, "DD/MM/YYYY"), "iso": $parseDate("05-01-2026", "DD-MM-YYYY"), "now": $now(), "city": $lookup("City", c).State}';
    const result = await map(expression, { g: "27ABCDE1234F1Z5", d: "2025-12-12", c: "Pune" }, { services: demoErp() });
    expect(result.trace[1]!.output).toEqual({ gst: true, date: "12/12/2025", iso: "2026-01-05", now: DEMO_NOW.toISOString(), city: "Maharashtra" });
  });

  it("turns a failing expression into EXPRESSION_ERROR at the node (answered 500)", async () => {
    const result = await map('$number("abc")', {});
    expect(result.outcome).toBe("ERROR");
    expect(result.httpStatus).toBe(500);
    expect(result.error).toMatchObject({ code: "EXPRESSION_ERROR", nodeId: "map", details: { jsonataCode: "D3030" } });
    expect(result.response.message).toBe("Internal server error");
  });
});

describe("rows ⇄ expression (flows/mapper/model.ts)", () => {
  it("writes the table as an expression that runs, and reads it back", async () => {
    const table = [...rows, { source: "address.pin", target: "Address.PIN", transform: "$string" }];
    const expression = rowsToExpression(table);
    expect(expression).toContain('"Address": {\n    "PIN": address.pin ~> $string\n  }');
    expect(expressionToRows(expression)).toEqual({ kind: "rows", rows: table });
    const result = await map(expression, { ...seed, address: { pin: 400001 } });
    expect(result.trace[1]!.output).toMatchObject({ GST_No: "27ABCDE1234F1Z5", Address: { PIN: "400001" } });
  });

  it("writes richer transforms and custom rows that run and read back as written", async () => {
    const table = [{ source: "name", target: "Short", transform: "$substring(?, 0, 3)" }, { source: "a + b", target: "Sum" }];
    const expression = rowsToExpression(table);
    const result = await map(expression, { name: "Ramesh", a: 1, b: 2 });
    expect(result.trace[1]!.output).toEqual({ Short: "Ram", Sum: 3 });
    expect(expressionToRows(expression)).toEqual({ kind: "rows", rows: table });
  });

  it("summarizes the fields the expression makes, not a stale table beside it", () => {
    expect(mapDefinition.summarize({ expression: '{"A": a, "B": {"C": c ~> $trim}}', mappings: [{ source: "x", target: "Old" }] })).toBe("2 fields → A, B.C");
    expect(mapDefinition.summarize({ expression: '$merge([$, {"a": 1}])', mappings: [{ source: "x", target: "Old" }] })).toBe('$merge([$, {"a": 1}])');
  });
});
