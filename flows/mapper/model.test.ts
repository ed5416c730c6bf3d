import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { concatSource, describeSource, expressionToRows, mappedFields, rowsToExpression, valueToRow, type MappingRow } from "./model";
import { readTransform, transformText, TRANSFORMS, type TransformSpec } from "./transforms";
import { applyMode, dropSource, rowFromCustomValue, rowMode, ROW_MODES } from "./row-modes";

const seed = { vendorName: " ABC Suppliers ", gstNumber: "27ABCDE1234F1Z5", contactPerson: "Ramesh Sharma", mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" };
const seedRows: MappingRow[] = [
  { source: "vendorName", target: "Vendor_Name" },
  { source: "gstNumber", target: "GST_No" },
  { source: "contactPerson", target: "Contact_Person" },
  { source: "mobile", target: "Phone_No" },
  { source: "email", target: "Email" },
  { source: "city", target: "City" },
];

const run = async (expression: string, input: unknown) => JSON.parse(JSON.stringify(await jsonata(expression).evaluate(input)));
const rowsOf = (expression: string) => {
  const parsed = expressionToRows(expression);
  if (parsed.kind !== "rows") throw new Error(`expected rows, got ${parsed.kind}`);
  return parsed.rows;
};

describe("cutting values with JSONata's parser", () => {
  it("ignores separators inside strings, names, comments, regexes and brackets", () => {
    const rows = rowsOf(`{ "A": a & "x, y" & $f(b, c) & \`d, e\` & $match(s, /a,b/) & [1, 2] /* , } */, "B": (b) /* , */ }`);
    expect(rows).toEqual([
      { source: 'a & "x, y" & $f(b, c) & `d, e` & $match(s, /a,b/) & [1, 2]', target: "A" },
      { source: "b", target: "B" },
    ]);
  });

  it("reads an object literal's pairs, values verbatim", () => {
    expect(rowsOf(`{ "A": a ? "x: y" : b, 'B': $f(c, {"k": 1}) /* note */ }`)).toEqual([
      { source: 'a ? "x: y" : b', target: "A" },
      { source: "c", target: "B", transform: '$f(?, {"k": 1})' },
    ]);
    expect(expressionToRows('{"a": 1}.a').kind).toBe("code");
    expect(expressionToRows("{a: 1}").kind).toBe("code");
    expect(rowsOf("{}")).toEqual([]);
  });
});

describe("editing one row (issue 17)", () => {
  const typed = `{
  /* the vendor */
  "Vendor_Name":   vendorName ~> $trim,
  "City": $uppercase( city ),
  "Total": $sum(lines.(qty * price))
}`;

  it("rewrites only the changed row's value, keeping the layout and comments of the others", () => {
    const rows = rowsOf(typed);
    const next = rows.map((r) => (r.target === "City" ? { ...r, transform: "$lowercase" } : r));
    expect(rowsToExpression(next, typed)).toBe(typed.replace("$uppercase( city )", "city ~> $lowercase"));
    expect(rowsToExpression(rows, typed)).toBe(typed);
  });

  it("a transform changed in the Visual tab rewrites only its own line of a hand-formatted expression", async () => {
    // Aligned values, comments, a nested object, call-form and ~> transforms, a custom row, no trailing comma.
    const handWritten = [
      "{",
      "  /* vendor master, typed by hand */",
      '  "Vendor_Name"    : $trim( vendorName ),   /* spaces inside kept */',
      '  "GST_No"         : gstNumber,',
      '  "Address"        : {',
      '      "City"       : city ~> $uppercase,',
      '      "Country"    : "IN"',
      "  },",
      '  "Phone_No"       : mobile,',
      '  "Email"          : $lowercase(email),',
      '  "Note"           : $count(lines) & " lines"',
      "}",
    ].join("\n");
    const rows = rowsOf(handWritten);
    const lines = handWritten.split("\n");
    // What the Visual tab's transform picker does: it writes the picked kind's canonical text.
    const cases: [string, TransformSpec, string][] = [
      ["Address.City", { kind: "lower" }, '      "City"       : city ~> $lowercase,'],
      ["Phone_No", { kind: "trim" }, '  "Phone_No"       : mobile ~> $trim,'],
      ["Vendor_Name", { kind: "none" }, '  "Vendor_Name"    : vendorName,   /* spaces inside kept */'],
      ["Email", { kind: "upper" }, '  "Email"          : email ~> $uppercase,'],
    ];
    for (const [target, spec, line] of cases) {
      const next = rows.map((r) => (r.target === target ? { ...r, transform: transformText(spec) || undefined } : r));
      const written = rowsToExpression(next, handWritten).split("\n");
      expect(written.length, target).toBe(lines.length);
      const changed = written.flatMap((l, i) => (l === lines[i] ? [] : [l]));
      expect(changed, target).toEqual([line]);
    }
    // And the rewritten expression still runs.
    const upper = rows.map((r) => (r.target === "Email" ? { ...r, transform: transformText({ kind: "upper" }) } : r));
    expect(await run(rowsToExpression(upper, handWritten), { ...seed, lines: [1, 2] })).toMatchObject({ Email: "ABC@XYZ.COM", Address: { City: "MUMBAI" }, Note: "2 lines" });
  });

  it("writes the whole expression when rows are added, removed or reordered", () => {
    const rows = rowsOf(typed);
    expect(rowsToExpression(rows.slice(1), typed)).toBe(rowsToExpression(rows.slice(1)));
    expect(rowsToExpression([...rows].reverse(), typed)).toBe(rowsToExpression([...rows].reverse()));
  });
});

describe("what an expression reads", () => {
  it("lists each field's input paths, direct only for a field copied unchanged", () => {
    const { fields, reads } = mappedFields(
      '{"A": a.b, "B": c ~> $trim, "C": first & " " & last, "D": $trigger.batchId, "E": $sum(lines.(qty * price)), "F": {"G": g[0]}, "H": $now()}',
    );
    expect(fields).toEqual([
      { target: "A", reads: [{ path: ["a", "b"], scope: "item" }], direct: true },
      { target: "B", reads: [{ path: ["c"], scope: "item" }], direct: false, transform: "$trim" },
      { target: "C", reads: [{ path: ["first"], scope: "item" }, { path: ["last"], scope: "item" }], direct: false, transform: "an expression" },
      { target: "D", reads: [{ path: ["batchId"], scope: "body" }], direct: false, transform: "an expression" },
      { target: "E", reads: [{ path: ["lines"], scope: "item" }], direct: false, transform: "an expression" },
      { target: "F.G", reads: [{ path: ["g"], scope: "item" }], direct: false, transform: "an expression" },
      { target: "H", reads: [], direct: false, transform: "an expression" },
    ]);
    expect(reads.map((r) => `${r.scope}:${r.path.join(".")}`)).toEqual(["item:a.b", "item:c", "item:first", "item:last", "body:batchId", "item:lines", "item:g"]);
  });

  it("reads the paths of an expression that is not an object of fields", () => {
    expect(mappedFields('$merge([$, {"a": x.y}])')).toEqual({ fields: [], reads: [{ path: ["x", "y"], scope: "item" }] });
    expect(mappedFields("{")).toEqual({ fields: [], reads: [] });
  });
});

describe("rows → expression", () => {
  it("writes the seed's mapping, which maps the seed's sample", async () => {
    const expression = rowsToExpression(seedRows);
    expect(expression).toBe(
      '{\n  "Vendor_Name": vendorName,\n  "GST_No": gstNumber,\n  "Contact_Person": contactPerson,\n  "Phone_No": mobile,\n  "Email": email,\n  "City": city\n}',
    );
    expect(await run(expression, seed)).toMatchObject({ Vendor_Name: " ABC Suppliers ", City: "Mumbai" });
  });

  it("nests dotted targets and applies transforms, constants and concatenations", async () => {
    const rows: MappingRow[] = [
      { source: "vendorName", target: "Vendor_Name", transform: "$trim" },
      { source: "city", target: "Address.City", transform: "$uppercase" },
      { source: '"IN"', target: "Address.Country" },
      { source: concatSource([{ path: "contactPerson" }, { text: " / " }, { path: "mobile" }]), target: "Contact_Person" },
      { source: "missing", target: "Email", transform: transformText({ kind: "default", fallback: '"none@example.com"' }) },
    ];
    const expression = rowsToExpression(rows);
    expect(expression).toContain('"Address": {\n    "City": city ~> $uppercase,\n    "Country": "IN"\n  }');
    expect(expression).toContain('"Contact_Person": contactPerson & " / " & mobile,');
    expect(await run(expression, seed)).toEqual({
      Vendor_Name: "ABC Suppliers",
      Address: { City: "MUMBAI", Country: "IN" },
      Contact_Person: "Ramesh Sharma / 9876543210",
      Email: "none@example.com",
    });
  });

  it("writes an empty object for no rows", () => {
    expect(rowsToExpression([])).toBe("{}");
  });
});

describe("expression → rows", () => {
  it("reads back exactly the rows it wrote (every transform of the catalogue)", () => {
    const specs: TransformSpec[] = [
      { kind: "trim" },
      { kind: "upper" },
      { kind: "lower" },
      { kind: "number" },
      { kind: "formatDate", picture: "DD/MM/YYYY" },
      { kind: "parseDate", picture: "DD-MMM-YYYY" },
      { kind: "default", fallback: "0" },
      { kind: "lookup", master: "City", returnField: "State" },
      { kind: "lookup", master: "State", matchField: "Code", returnField: "Name" },
      { kind: "custom", text: "$substring(?, 0, 10)" },
    ];
    const rows: MappingRow[] = specs.map((spec, i) => ({ source: `field${i}`, target: `T${i}`, transform: transformText(spec) }));
    rows.push({ source: '"INR"', target: "Currency" }, { source: 'a & "-" & b.c', target: "Joined" }, { source: "a + b", target: "Sum" });
    const back = rowsOf(rowsToExpression(rows));
    expect(back).toEqual(rows);
    expect(back.slice(0, specs.length).map((r) => readTransform(r.transform))).toEqual(specs);
  });

  it("is stable: writing what it read gives the same text", () => {
    const text = rowsToExpression(rowsOf('{"A": $trim(name), "B": $formatDate(d, "DD/MM/YYYY"), "C": x.y ~> $number, "D": {"E": e}}'));
    expect(rowsToExpression(rowsOf(text))).toBe(text);
    expect(text).toBe('{\n  "A": name ~> $trim,\n  "B": d ~> $formatDate(?, "DD/MM/YYYY"),\n  "C": x.y ~> $number,\n  "D": {\n    "E": e\n  }\n}');
  });

  it("reads calls of one field as transforms", () => {
    expect(valueToRow("A", "$trim(`first name`)")).toEqual({ source: "`first name`", target: "A", transform: "$trim" });
    expect(valueToRow("B", '$formatDate(Invoice_Date, "DD/MM/YYYY")')).toEqual({ source: "Invoice_Date", target: "B", transform: '$formatDate(?, "DD/MM/YYYY")' });
  });

  it("keeps what is not a field mapping as a custom row, text as written", () => {
    const rows = rowsOf('{\n  "Vendor_Name": vendorName,\n  "Total": $sum(lines.(qty * price)),\n  "Kind": type = "A" ? "Alpha" : "Other"\n}');
    expect(rows).toEqual([
      { source: "vendorName", target: "Vendor_Name" },
      { source: "$sum(lines.(qty * price))", target: "Total" },
      { source: 'type = "A" ? "Alpha" : "Other"', target: "Kind" },
    ]);
    expect(describeSource(rows[1]!.source).kind).toBe("expression");
  });

  it("keeps a block's parentheses (without them it is no expression)", async () => {
    const rows = rowsOf('{"A": ($x := 2; $x * n)}');
    expect(rows).toEqual([{ source: "($x := 2; $x * n)", target: "A" }]);
    expect(await run(rowsToExpression(rows), { n: 3 })).toEqual({ A: 6 });
  });

  it("says code when the expression is valid but not an object of fields", () => {
    expect(expressionToRows('$merge([$, {"a": 1}])').kind).toBe("code");
    expect(expressionToRows('{"a b": x}').kind).toBe("code");
    expect(expressionToRows('{"a": 1}.a').kind).toBe("code");
    expect(expressionToRows("vendorName").kind).toBe("code");
  });

  it("says invalid with the position when it does not parse", () => {
    const parsed = expressionToRows('{\n  "A": a,\n  "B": \n}');
    expect(parsed.kind).toBe("invalid");
    if (parsed.kind === "invalid") expect(parsed.error).toMatchObject({ line: 4, column: 1 });
  });
});

describe("sources", () => {
  it("tells fields, constants, concatenations and expressions apart", () => {
    expect(describeSource("address.city")).toEqual({ kind: "field", paths: ["address.city"] });
    expect(describeSource("`first name`")).toEqual({ kind: "field", paths: ["`first name`"] });
    expect(describeSource('"INR"')).toMatchObject({ kind: "constant", value: "INR" });
    expect(describeSource("42")).toMatchObject({ kind: "constant", value: 42 });
    expect(describeSource("true")).toMatchObject({ kind: "constant", value: true });
    expect(describeSource('first & " " & last')).toEqual({
      kind: "concat",
      paths: ["first", "last"],
      parts: [{ path: "first" }, { text: " " }, { path: "last" }],
    });
    expect(describeSource("$trigger.a").kind).toBe("expression");
    expect(describeSource("a + b").kind).toBe("expression");
  });
});

describe("transforms", () => {
  it("has a picker entry for every kind the brief names", () => {
    expect(TRANSFORMS.map((t) => t.kind)).toEqual(["none", "trim", "upper", "lower", "number", "formatDate", "parseDate", "default", "lookup", "custom"]);
  });

  it("reads hand-written variants of the canonical forms", () => {
    expect(readTransform("$formatDate( ? , 'YYYY' )")).toEqual({ kind: "formatDate", picture: "YYYY" });
    expect(readTransform('function ($v) {$v ?: "x"}')).toEqual({ kind: "default", fallback: '"x"' });
    expect(readTransform('function($v) { $lookup("City", $v).`State Name` }')).toEqual({ kind: "lookup", master: "City", returnField: "State Name" });
    expect(readTransform("$string")).toEqual({ kind: "custom", text: "$string" });
    expect(readTransform(undefined)).toEqual({ kind: "none" });
  });

  it("runs: each transform does what its label says", async () => {
    const apply = (spec: TransformSpec, value: unknown) => run(rowsToExpression([{ source: "v", target: "out", transform: transformText(spec) }]), { v: value });
    expect(await apply({ kind: "trim" }, "  a  b ")).toEqual({ out: "a b" });
    expect(await apply({ kind: "upper" }, "abc")).toEqual({ out: "ABC" });
    expect(await apply({ kind: "lower" }, "ABC")).toEqual({ out: "abc" });
    expect(await apply({ kind: "number" }, "85000")).toEqual({ out: 85000 });
    expect(await apply({ kind: "default", fallback: '"N/A"' }, "")).toEqual({ out: "N/A" });
    expect(await apply({ kind: "default", fallback: '"N/A"' }, "kept")).toEqual({ out: "kept" });
  });
});

describe("the transform picker", () => {
  const row: MappingRow = { source: "vendorName", target: "Vendor_Name" };

  it("reads each row's mode", () => {
    expect(rowMode(row)).toBe("none");
    expect(rowMode({ ...row, transform: "$trim" })).toBe("trim");
    expect(rowMode({ ...row, source: '"X"' })).toBe("constant");
    expect(rowMode({ ...row, source: 'a & " " & b' })).toBe("concat");
    expect(rowMode({ ...row, transform: "$substring(?, 0, 2)" })).toBe("custom");
    expect(rowMode({ ...row, source: "a + b" })).toBe("custom");
  });

  it("switches modes keeping the field, and every mode round-trips through the expression", () => {
    for (const { mode } of ROW_MODES) {
      const next = applyMode(row, mode);
      // Custom JSONata of a plain field is still a plain field until the analyst writes more.
      expect(rowMode(next)).toBe(mode === "custom" ? "none" : mode);
      expect(rowsOf(rowsToExpression([next]))).toEqual([next]);
      if (!["constant", "custom"].includes(mode)) expect(describeSource(next.source).paths[0]).toBe("vendorName");
    }
    expect(applyMode({ ...row, transform: "$trim" }, "custom")).toEqual({ source: "vendorName ~> $trim", target: "Vendor_Name" });
  });

  it("reads a custom value back into a known form when it is one", () => {
    expect(rowFromCustomValue("A", "name ~> $uppercase")).toEqual({ source: "name", target: "A", transform: "$uppercase" });
  });

  it("drops a field: concatenations gain a part, transforms stay", () => {
    expect(dropSource(undefined, "A", "x")).toEqual({ source: "x", target: "A" });
    expect(dropSource({ source: "first", target: "A" }, "A", "x")).toEqual({ source: "x", target: "A" });
    expect(dropSource({ source: "first", target: "A", transform: "$trim" }, "A", "x")).toEqual({ source: "x", target: "A", transform: "$trim" });
    expect(dropSource({ source: 'first & " " & last', target: "A" }, "A", "x")).toEqual({ source: 'first & " " & last & " " & x', target: "A" });
  });
});
