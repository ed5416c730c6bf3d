import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow } from "@/server/engine/testing/flow-builder";
import { demoErp, DEMO_NOW } from "@/server/engine/testing/fixtures";
import { expressionToMappings, mappingsToExpression } from "./mappings";

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
    const result = await map(mappingsToExpression(rows), seed);
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

describe("mappings ⇄ expression", () => {
  it("writes the table as an expression and reads it back", () => {
    const table = [...rows, { source: "address.pin", target: "Address.PIN", transform: "$string" }];
    const expression = mappingsToExpression(table);
    expect(expression).toContain('"GST_No": gstNumber');
    expect(expression).toContain('"Address": {\n    "PIN": address.pin ~> $string\n  }');
    expect(expressionToMappings(expression)).toEqual(table);
  });

  it("writes richer transforms that run, though the table cannot read them back", async () => {
    const expression = mappingsToExpression([{ source: "name", target: "Short", transform: "$substring(?, 0, 3)" }, { source: "a + b", target: "Sum" }]);
    const result = await map(expression, { name: "Ramesh", a: 1, b: 2 });
    expect(result.trace[1]!.output).toEqual({ Short: "Ram", Sum: 3 });
    expect(expressionToMappings(expression)).toBeNull();
  });

  it("reads $fn(path) as a transform and quotes odd names", () => {
    expect(expressionToMappings('{"A": $trim(`first name`)}')).toEqual([{ source: "`first name`", target: "A", transform: "$trim" }]);
  });

  it("says null when the expression is more than a table", () => {
    expect(expressionToMappings('$merge([$, {"a": 1}])')).toBeNull();
    expect(expressionToMappings('{"A": a + b}')).toBeNull();
    expect(expressionToMappings("{")).toBeNull();
  });
});
