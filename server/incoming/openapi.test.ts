/** The OpenAPI contract of the seeded example flows: a valid 3.1 document that says what the endpoints enforce. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { compileErrors, validate } from "@readme/openapi-parser";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import ApiDocsPage from "@/app/(console)/api-docs/page";
import { GET } from "@/app/api/v1/integration/openapi.json/route";
import { loadExampleFlows } from "@/flows/examples";
import { setFlowActive } from "../flows/repository";
import { seedOnFirstRun } from "../seed";
import { erpDemoSeeder } from "../seed/erp-demo";
import { exampleFlowsSeeder } from "../seed/example-flows";
import { useTestDatabase } from "../testing/database";
import { buildOpenApiDocument, openApiForPublishedFlows, type JsonSchema, type OpenApiDocument } from "./openapi";

const database = useTestDatabase();
const SERVER = "https://acme.strategicerpcloud.com";
const SEED_SAMPLE = {
  vendorName: "ABC Suppliers",
  gstNumber: "27ABCDE1234F1Z5",
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "abc@xyz.com",
  city: "Mumbai",
};
let doc: OpenApiDocument;

beforeAll(async () => {
  await seedOnFirstRun(database(), [erpDemoSeeder, exampleFlowsSeeder]);
  doc = await openApiForPublishedFlows(database().sql, SERVER);
});

const operation = (slug: string) => {
  const op = doc.paths[`/api/v1/integration/incoming/${slug}`]?.post;
  if (!op) throw new Error(`no operation for ${slug}`);
  return op;
};
const bodySchema = (slug: string) => operation(slug).requestBody.content["application/json"].schema;
const props = (schema: JsonSchema) => schema.properties as Record<string, JsonSchema>;

/** The checks a generated schema makes that a sample could break: required fields and patterns. */
function violations(schema: JsonSchema, value: unknown, at = "$"): string[] {
  if (schema.type === "array") {
    if (!Array.isArray(value)) return [`${at} is not an array`];
    return value.flatMap((v, i) => violations(schema.items as JsonSchema, v, `${at}[${i}]`));
  }
  if (schema.type === "object") {
    if (!value || typeof value !== "object") return [`${at} is not an object`];
    const record = value as Record<string, unknown>;
    const missing = ((schema.required ?? []) as string[]).filter((k) => record[k] === undefined).map((k) => `${at}.${k} missing`);
    const nested = Object.entries(props(schema) ?? {}).flatMap(([k, s]) => (record[k] === undefined ? [] : violations(s, record[k], `${at}.${k}`)));
    return [...missing, ...nested];
  }
  const problems: string[] = [];
  if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern, "u").test(value)) problems.push(`${at} !~ ${schema.pattern}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) problems.push(`${at} not in enum`);
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) problems.push(`${at} < minimum`);
  if (schema.type === "number" && typeof value !== "number") problems.push(`${at} is not a number`);
  return problems;
}

describe("the OpenAPI document of the published incoming flows", () => {
  it("is a valid OpenAPI 3.1 document with one path per active incoming flow and the bare endpoint", async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: SERVER, description: expect.stringContaining("production"), "x-internal": false }]);
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["", "/attendance-import", "/invoice-update", "/lead-enquiry", "/material-receipt", "/vendor-master"].map((p) => `/api/v1/integration/incoming${p}`),
    );
    expect(operation("vendor-master")).toMatchObject({ operationId: "vendorMaster", summary: "Vendor master" });
    expect(operation("vendor-master").description).toContain("External systems create vendors");
  });

  it("derives vendor-master's request schema from its mappings and validate rules", () => {
    const schema = bodySchema("vendor-master");
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["vendorName", "gstNumber"]);
    const p = props(schema);
    expect(Object.keys(p)).toEqual(["vendorName", "gstNumber", "contactPerson", "mobile", "email", "city"]);
    expect(p.gstNumber).toMatchObject({ type: "string", pattern: "^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$", "x-erp-field": "GST_No" });
    expect(p.gstNumber!.description).toContain("must be unique among Vendor records");
    expect(p.mobile!.pattern).toBe("^(?:\\+91[ -]?|0)?[6-9][0-9]{9}$");
    expect(p.email).toMatchObject({ type: "string", format: "email" });
    expect(p.city!.description).toContain("must exist in the City master");
    expect(p.city!.description).toContain("CITY_NOT_FOUND");
    expect(p.contactPerson).toEqual({ type: "string", maxLength: 200, description: "ERP field Contact_Person.", "x-erp-field": "Contact_Person" });
    // The entity's contract: the store refuses longer text, so the request schema says so.
    expect([p.vendorName!.maxLength, p.gstNumber!.maxLength, p.mobile!.maxLength, p.email!.maxLength, p.city!.maxLength]).toEqual([200, 15, 20, 254, 100]);
  });

  it("carries the seed's examples: the §3.3 request, the §3.7 success and INVALID_GST error, 404 ENDPOINT_NOT_FOUND", () => {
    const op = operation("vendor-master");
    const requests = Object.values(op.requestBody.content["application/json"].examples).map((e) => e.value);
    expect(requests).toContainEqual(SEED_SAMPLE);
    expect(requests).not.toContainEqual(expect.objectContaining({ gstNumber: "27ABCDE1234F1Z" })); // invalid samples are not examples

    const ok = op.responses["200"]!.content["application/json"];
    expect(ok.schema).toEqual({ $ref: "#/components/schemas/SuccessResponse" });
    expect(ok.examples.success!.value).toMatchObject({ status: "success", message: "Record saved successfully", recordId: "VEND-1023" });
    const bad = op.responses["400"]!.content["application/json"].examples.validation!.value;
    expect(bad).toMatchObject({
      status: "error",
      errorCode: "INVALID_GST",
      message: "GST number is invalid",
      errors: [{ field: "GST_No", rule: "gstin", code: "INVALID_GST", message: "GST number is invalid" }],
    });
    expect(op.responses["404"]!.content["application/json"].examples.notFound!.value).toMatchObject({ errorCode: "ENDPOINT_NOT_FOUND", message: "Mapping or endpoint not found" });
    expect(op.responses["409"]!.content["application/json"].examples.duplicate!.value).toMatchObject({ errorCode: "DUPLICATE_RECORD" });
    expect(op.responses["422"]!.content["application/json"].examples.idempotencyKeyReused!.value).toMatchObject({ errorCode: "IDEMPOTENCY_KEY_REUSED" });
    expect(Object.keys(op.responses)).toEqual(["200", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500"]);
    expect(op.parameters.map((p) => [p.name, p.required])).toEqual([
      ["Idempotency-Key", false],
      ["x-request-id", false],
    ]);
  });

  it("declares the security schemes and applies each flow's auth methods", () => {
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "x-api-key" });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["SuccessResponse", "ErrorResponse", "FieldError"]));
    expect(operation("vendor-master").security).toEqual([{ apiKey: [] }, { bearerAuth: [] }]);
    expect(operation("invoice-update").security).toEqual([{ bearerAuth: [] }]);
    expect(operation("lead-enquiry").security).toEqual([{ apiKey: [] }]);
  });

  it("documents a batch flow as its items array, and keeps constraints off transformed values", () => {
    const body = bodySchema("attendance-import");
    expect(body.required).toEqual(["punches"]);
    const punches = props(body).punches!;
    expect(punches).toMatchObject({ type: "array", maxItems: 5000 });
    const item = punches.items as JsonSchema;
    expect(item.required).toEqual(["employeeCode", "punchTime"]);
    expect(props(item).punchTime).toMatchObject({ type: "string", format: "date-time" });
    // Upper-cased before the rule runs: "e1002" is accepted, so no pattern on the raw value.
    expect(props(item).employeeCode!.pattern).toBeUndefined();
    expect(props(item).employeeCode!.description).toContain("^E\\d{4}$");
    expect(props(body).deviceId).toBeDefined(); // read as $trigger.deviceId
    expect(operation("attendance-import").responses["207"]).toBeDefined();

    expect(props(bodySchema("material-receipt")).vendorGst!.description).toContain("existing Vendor");
    expect(props(bodySchema("material-receipt")).quantity).toMatchObject({ type: "number", minimum: 0.001 });
    expect(bodySchema("material-receipt").required).toEqual(["grnRef", "poNumber", "vendorGst", "receivedDate", "itemCode", "quantity"]);
    expect(props(bodySchema("material-receipt")).receivedDate).toMatchObject({ type: "string", format: "date", maxLength: 10 });
  });

  it("lists the flows' valid samples as examples, and every one satisfies its schema", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      if (path.endsWith("/incoming")) continue;
      const media = item.post.requestBody.content["application/json"];
      expect(Object.keys(media.examples).length, path).toBeGreaterThan(0);
      for (const example of Object.values(media.examples)) expect(violations(media.schema, example.value), `${path}: ${example.summary}`).toEqual([]);
    }
    expect(violations(bodySchema("vendor-master"), { ...SEED_SAMPLE, gstNumber: "27ABCDE12" })).toHaveLength(1);
  });

  it("documents the seed's bare endpoint with x-integration-code listing the slugs", () => {
    const bare = doc.paths["/api/v1/integration/incoming"]!.post;
    const header = bare.parameters.find((p) => p.name === "x-integration-code");
    expect(header).toMatchObject({ in: "header", required: true });
    expect(header!.schema.enum).toEqual(["attendance-import", "invoice-update", "lead-enquiry", "material-receipt", "vendor-master"]);
    expect(bare.requestBody.content["application/json"].examples["vendorMaster.seedSample33"]!.value).toEqual(SEED_SAMPLE);
  });

  it("leaves out inactive and outgoing flows", async () => {
    await setFlowActive(database().sql, "lead-enquiry", false);
    try {
      const without = await openApiForPublishedFlows(database().sql, SERVER);
      expect(Object.keys(without.paths)).not.toContain("/api/v1/integration/incoming/lead-enquiry");
    } finally {
      await setFlowActive(database().sql, "lead-enquiry", true);
    }
    const pure = buildOpenApiDocument(
      loadExampleFlows().map((definition) => ({ slug: definition.slug, definition })),
      { serverUrl: "http://localhost:3000/" },
    );
    expect(pure.servers[0]!.url).toBe("http://localhost:3000");
    expect(Object.keys(pure.paths)).not.toContain("/api/v1/integration/incoming/invoice-to-accounting");
    expect(Object.keys(pure.paths)).toHaveLength(6);
  });
});

describe("GET /api/v1/integration/openapi.json", () => {
  it("answers 200 application/json with the document", async () => {
    // The route handler behind a plain HTTP server: what a developer's tool fetches.
    const server = http.createServer((req, res) => {
      void GET().then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/integration/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const served = (await res.json()) as OpenApiDocument;
      expect(served.openapi).toBe("3.1.0");
      expect(served.paths["/api/v1/integration/incoming/vendor-master"]?.post.operationId).toBe("vendorMaster");
      expect(served.servers[0]!.url).toMatch(/^https?:\/\//);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("the API Docs page", () => {
  it("renders each endpoint with its URL, auth, request fields, example and response codes", async () => {
    const html = renderToStaticMarkup(await ApiDocsPage());
    expect(html).toContain("<h1>API Docs</h1>");
    expect(html).toContain("/api/v1/integration/incoming/vendor-master</code>");
    expect(html).toContain("x-api-key header or Authorization: Bearer &lt;token&gt;");
    expect(html).toMatch(/<code>gstNumber<\/code><\/td><td>string<\/td><td>yes<\/td>/);
    expect(html).toContain("must exist in the City master");
    expect(html).toContain("&quot;gstNumber&quot;: &quot;27ABCDE1234F1Z5&quot;");
    expect(html).toContain("&quot;recordId&quot;: &quot;VEND-1023&quot;");
    expect(html).toContain("<code>punches[].employeeCode</code>");
  });
});

describe("Spectral: spectral:oas and the OWASP API Security ruleset", () => {
  it("finds no error in the document of the shipped examples (server/incoming/openapi.spectral.yaml)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowport-openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const ruleset = path.resolve("server/incoming/openapi.spectral.yaml");
      // Exit code 1 means "found errors"; the JSON report says which, so read it either way.
      const run = await promisify(execFile)(path.resolve("node_modules/.bin/spectral"), ["lint", file, "--ruleset", ruleset, "--format", "json", "--quiet", "--fail-severity", "error"]).catch(
        (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
      );
      const results = JSON.parse(run.stdout || "[]") as { code: string; severity: number; path: string[]; message: string }[];
      const errors = results.filter((r) => r.severity === 0).map((r) => `${r.code} at ${r.path.join(".")}: ${r.message}`);
      console.info(`spectral: ${errors.length} errors, ${results.filter((r) => r.severity === 1).length} warnings`);
      expect(errors).toEqual([]);
      // The ruleset really ran: its warnings (strings without a pattern) are there.
      expect(results.some((r) => r.code.startsWith("owasp:"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
