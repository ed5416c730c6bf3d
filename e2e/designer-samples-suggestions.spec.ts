/**
 * Issue 17, points 2, 3 and 10, at a laptop's widths (1440×900 and 1024×768):
 *  - lead-enquiry's answer previews show its own LEAD- ids and messages, not the vendor example;
 *  - the seed sample's {{unique}} GSTIN keeps "expects SUCCESS" true after the README's curl, and the
 *    test drawer shows the generator and the value of the last run;
 *  - on a new flow with nothing mapped, the visual mapper suggests the seed's six pairs; one click
 *    maps one, "Accept all" the rest, and the JSONata shows them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { callIncoming } from "./helpers/endpoint";
import { selectNode } from "./helpers/canvas";
import { flowportCli, signIn } from "./helpers/sign-in";

const SHOTS = "test-results/samples-suggestions";
const SPEC_REQUEST = { vendorName: "ABC Suppliers", gstNumber: "27ABCDE1234F1Z5", contactPerson: "Ramesh Sharma", mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" };
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];

/** A new vendor flow of its own for this width: the store's entity chosen, nothing mapped yet. */
function importUnmappedFlow(slug: string) {
  const flow = JSON.parse(fs.readFileSync(path.join("flows", "examples", "vendor-master.flow.json"), "utf8")) as {
    nodes: { id: string; config: Record<string, unknown> }[];
    samples: unknown[];
  };
  flow.nodes.find((n) => n.id === "map")!.config = { expression: "{}" };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flowport-e2e-suggest-")), `${slug}.flow.json`);
  fs.writeFileSync(file, JSON.stringify({ ...flow, slug, name: `New vendor flow (${slug})`, samples: [{ name: "Spec request", payload: SPEC_REQUEST }] }));
  flowportCli(["flows", "import", file, "--json"]);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

/** With no node selected, the inspector shows the flow's settings (the canvas may still be settling). */
async function openFlowSettings(page: Page) {
  const pane = page.locator(".react-flow__pane");
  await expect(async () => {
    if (!(await page.getByLabel("What the caller receives for SUCCESS").isVisible())) {
      await pane.click({ position: { x: (await pane.boundingBox())!.width - 15, y: 15 }, timeout: 2_000 });
    }
    await expect(page.getByLabel("What the caller receives for SUCCESS")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;
  test.describe(`at ${size}`, () => {
    test.use({ viewport });

    test("lead-enquiry previews its own answers", async ({ page }) => {
      test.setTimeout(120_000);
      await signIn(page, "analyst");
      await page.goto("/flows/lead-enquiry");
      await openFlowSettings(page);
      const success = page.getByLabel("What the caller receives for SUCCESS");
      await expect(success).toContainText('"recordId":"LEAD-1001"');
      await expect(success).toContainText('"message":"Enquiry received"');
      await expect(page.getByLabel("What the caller receives for FAILED")).toContainText('"errorCode":"REQUIRED_FIELD","message":"Lead name is required"');
      await expect(page.getByTestId("answer-source-DUPLICATE")).toHaveText("This flow never answers DUPLICATE: Lead has no unique key.");
      const inspector = page.getByLabel("Return status rules");
      await expect(inspector).not.toContainText("VEND-");
      await expect(inspector).not.toContainText(/vendor/i);
      await success.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}-${size}-1-lead-previews.png` });
      await page.getByLabel("What the caller receives for DUPLICATE").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}-${size}-2-lead-previews-duplicate.png` });
    });

    test("the seed sample stays true after the README's curl; the drawer shows its generator and last value", async ({ page, request }) => {
      test.setTimeout(120_000);
      // The README's curl: the seed's own GSTIN is now taken (or already was, by an earlier journey).
      const curl = await callIncoming(request, "vendor-master", SPEC_REQUEST);
      expect([200, 409]).toContain(curl.status);

      await signIn(page, "analyst");
      await page.goto("/flows/vendor-master");
      const panel = page.getByTestId("test-panel");
      await panel.getByRole("list", { name: "Samples" }).getByRole("button", { name: /^Seed sample \(§3\.3\)/ }).click();
      const generators = panel.getByTestId("sample-generators");
      await expect(generators.locator('tr[data-path="gstNumber"]')).toContainText("{{unique}}");
      await expect(panel.getByTestId("generated-gstNumber")).toHaveText("a new value on each run");

      await panel.getByTestId("dry-run").click();
      const result = panel.getByTestId("run-result");
      await expect(result).toHaveAttribute("data-status", "SUCCESS");
      await expect(result).toContainText("matches the sample’s expectation");
      const generated = panel.getByTestId("run-generated");
      await expect(generated).toContainText(/gstNumber \{\{unique\}\} → \d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]/);
      const gst = /→ (\w{15})/.exec(await generated.innerText())![1]!;
      await expect(panel.getByTestId("run-record")).toContainText(`"GST_No": "${gst}"`);
      await result.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}-${size}-3-dry-run-generated.png` });

      await panel.getByRole("tab", { name: "Payload" }).click();
      await expect(panel.getByTestId("generated-gstNumber")).toHaveText(gst);
      await generators.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}-${size}-4-drawer-generators.png` });
    });

    test("a new flow gets the seed's six mappings suggested; one click, then Accept all", async ({ page }) => {
      test.setTimeout(180_000);
      const slug = `vendor-suggestions-${viewport.width}`;
      importUnmappedFlow(slug);
      await signIn(page, "analyst");
      await page.goto(`/flows/${slug}`);
      const panel = page.getByTestId("test-panel");
      await panel.getByRole("list", { name: "Samples" }).getByRole("button", { name: /^Spec request/ }).click();
      await selectNode(page, "map");
      const editor = page.getByTestId("map-node-editor");
      const chips = editor.locator(".suggestion-chip");
      await expect(chips).toHaveCount(6);
      await expect(editor.getByTestId("suggestion-Phone_No")).toContainText("mobile");
      await expect(editor.getByTestId("suggestion-GST_No")).toContainText("gstNumber");
      await expect(editor.getByTestId("suggestion-Vendor_Name")).toHaveAccessibleName(/^Map vendorName to Vendor_Name \(suggested, \d+% sure: same name/);
      await expect(editor.getByTestId("accept-all-suggestions")).toHaveText("Accept all (6)");
      await editor.getByTestId("target-Phone_No").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}-${size}-5-suggestions.png` });

      // One click maps one pair.
      await editor.getByTestId("suggestion-City").click();
      await expect(editor.getByTestId("target-City")).toHaveAttribute("data-mapped", "city");
      await expect(chips).toHaveCount(5);

      await editor.getByRole("button", { name: "Accept all (5)" }).click();
      await expect(chips).toHaveCount(0);
      await expect(editor.getByTestId("accept-all-suggestions")).toHaveCount(0);
      for (const [target, source] of [
        ["Vendor_Name", "vendorName"],
        ["GST_No", "gstNumber"],
        ["Contact_Person", "contactPerson"],
        ["Phone_No", "mobile"],
        ["Email", "email"],
      ]) {
        await expect(editor.getByTestId(`target-${target}`)).toHaveAttribute("data-mapped", source!);
      }
      await expect(editor.getByTestId("mapper-lines").locator("path")).toHaveCount(6);
      await expect(editor.getByTestId("mapper-summary")).toContainText("6 of 8 fields mapped");
      await page.screenshot({ path: `${SHOTS}-${size}-6-accepted.png` });

      await editor.getByRole("tab", { name: "JSONata" }).click();
      const code = page.getByTestId("jsonata-editor");
      await expect(code).toContainText('"Phone_No": mobile');
      await expect(code).toContainText('"GST_No": gstNumber');
      await expect(code).toContainText('"City": city');
      await page.screenshot({ path: `${SHOTS}-${size}-7-expression.png` });
    });
  });
}
