/**
 * Journey (1): an analyst builds the vendor flow from a blank canvas — drags trigger, auth, map,
 * validate, store and respond from the palette and connects them, maps the seed sample's six fields
 * by drag and drop, adds the seed's validations, dry-runs the seed sample (success), breaks the GSTIN
 * and sees INVALID_GST on the validate node and in the answer preview. Analysts cannot publish, so an
 * admin publishes it; then a real HTTP call with the demo API key creates the vendor.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { pasteText } from "./helpers/clipboard";
import { callIncoming, freshGstin } from "./helpers/endpoint";
import { signIn } from "./helpers/sign-in";
import { selectNode } from "./helpers/canvas";

test.use({ viewport: { width: 1800, height: 1100 } });
test.setTimeout(600_000);

const SHOTS = "test-results/designer-journey";
const SEED_SAMPLE = { vendorName: "ABC Suppliers", gstNumber: "27ABCDE1234F1Z5", contactPerson: "Ramesh Sharma", mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" };
const NODES = [
  ["trigger.http", "trigger"],
  ["auth", "auth"],
  ["map", "map"],
  ["validate", "validate"],
  ["store", "store"],
  ["respond", "respond"],
] as const;
const MAPPINGS = [
  ["vendorName", "Vendor_Name"],
  ["gstNumber", "GST_No"],
  ["contactPerson", "Contact_Person"],
  ["mobile", "Phone_No"],
  ["email", "Email"],
  ["city", "City"],
] as const;
/** The seed's validations (§3.4), as the vendor-master example has them. */
const RULES: { field: string; kind: string; param?: [string, string]; message?: string }[] = [
  { field: "Vendor_Name", kind: "required", message: "Vendor name cannot be empty" },
  { field: "GST_No", kind: "required", message: "GST number is required" },
  { field: "GST_No", kind: "format", param: ["format", "gstin"] },
  { field: "GST_No", kind: "unique", param: ["entity", "Vendor"] },
  { field: "Phone_No", kind: "format", param: ["format", "indianMobile"] },
  { field: "Email", kind: "format", param: ["format", "email"] },
  { field: "City", kind: "exists", param: ["master", "City"] },
];

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);

/** Clicks empty canvas (top right: the toolbar floats top left, the minimap bottom right). */
async function clearSelection(page: Page) {
  const pane = page.getByTestId("canvas").locator(".react-flow__pane");
  const box = (await pane.boundingBox())!;
  await pane.click({ position: { x: box.width - 15, y: 15 } });
}

/**
 * Where a handle is once it stops moving: auto layout and zoom-to-fit animate the view, and a drag
 * measured mid-animation ends beside its target (seen in CI under load).
 */
async function settledCentre(handle: Locator) {
  let last = "";
  for (let i = 0; i < 50; i++) {
    const box = (await handle.boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const key = `${centre.x.toFixed(1)},${centre.y.toFixed(1)}`;
    if (key === last) return centre;
    last = key;
    await handle.page().waitForTimeout(100);
  }
  throw new Error("the canvas never stopped moving");
}

/**
 * Drags from one node's output handle to the next node's input, in steps as a hand moves, and waits for
 * the edge. This journey used to lose a drag in about one run in three: React Flow had dropped the
 * target's handle positions (the canvas handed it a node without its size one render after it was
 * measured), so no drop could land; the canvas now re-measures such nodes (use-heal-handle-bounds.ts;
 * seen with an instrumented build: every failed drag had its target in that state). A drag that made
 * no edge is still tried again, up to 3 times, as a user would; designer-canvas.spec checks that one
 * drag is enough.
 */
async function connect(page: Page, from: string, to: string) {
  const edges = page.locator(".react-flow__edge");
  const before = await edges.count();
  for (let attempt = 1; attempt <= 3; attempt++) {
    await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved", { timeout: 20_000 });
    // Nothing is selected first: a drag from a handle selects nothing, so the layout (and the canvas
    // under the pointer) stays put; designer-canvas.spec checks that one drag is enough.
    const source = await settledCentre(node(page, from).locator(".react-flow__handle.source"));
    const target = await settledCentre(node(page, to).locator(".react-flow__handle.target"));
    await page.mouse.move(source.x, source.y);
    await page.mouse.down();
    await page.mouse.move(source.x + 20, source.y + 10, { steps: 4 });
    await page.mouse.move(target.x, target.y, { steps: 12 });
    await page.mouse.up();
    try {
      await expect(edges).toHaveCount(before + 1, { timeout: attempt < 3 ? 4_000 : 15_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Replaces the sample's payload in its Monaco editor, as a user pasting JSON does. */
async function setPayload(page: Page, payload: unknown) {
  const editor = page.getByTestId("test-panel").locator(".monaco-editor").first();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await pasteText(page, JSON.stringify(payload, null, 2));
}

test("an analyst builds the vendor flow on a blank canvas, tests it, an admin publishes it, and the endpoint answers", async ({ page, browser, request }) => {
  await signIn(page, "analyst");
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).click();
  await page.getByLabel("Name").fill("Vendor onboarding");
  await expect(page.getByLabel("Slug")).toHaveValue("vendor-onboarding");
  await page.getByRole("button", { name: "Create and open" }).click();
  await expect(page).toHaveURL(/\/flows\/vendor-onboarding$/);
  await expect(page.getByRole("navigation", { name: "Node palette" })).toBeVisible();

  // Drag the six nodes from the palette onto the canvas.
  const canvas = page.getByTestId("canvas");
  for (const [i, [type, id]] of NODES.entries()) {
    await page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x: 80 + (i % 3) * 60, y: 60 + i * 70 } });
    await expect(node(page, id)).toBeVisible();
  }
  await clearSelection(page);
  await page.getByRole("button", { name: "Auto layout" }).click();
  for (let i = 0; i < NODES.length - 1; i++) await connect(page, NODES[i]![1], NODES[i + 1]![1]);
  await expect(page.locator(".react-flow__edge")).toHaveCount(5);
  await page.getByRole("button", { name: "Auto layout" }).click();
  await page.screenshot({ path: `${SHOTS}-1-connected.png` });

  // Undo and redo the last connection, as a user trying the shortcuts would.
  await clearSelection(page);
  await page.keyboard.press("ControlOrMeta+Z");
  await page.keyboard.press("ControlOrMeta+Z");
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);
  await page.keyboard.press("ControlOrMeta+Shift+Z");
  await page.keyboard.press("ControlOrMeta+Shift+Z");
  await expect(page.locator(".react-flow__edge")).toHaveCount(5);

  // Store: new vendors numbered VEND-….
  await selectNode(page, "store");
  await page.getByLabel("Numbering series").fill("VEND-");
  await expect(node(page, "store")).toContainText("insert Vendor (VEND-…)");

  // The seed's sample request.
  const panel = page.getByTestId("test-panel");
  await panel.getByRole("button", { name: "+ Add" }).click();
  await panel.getByRole("button", { name: "Rename New sample" }).click();
  await panel.getByLabel("New name for New sample").fill("Seed sample (§3.3)");
  await panel.getByLabel("New name for New sample").press("Enter");
  await setPayload(page, SEED_SAMPLE);

  // Map the six fields by drag and drop.
  await selectNode(page, "map");
  const mapper = page.getByTestId("visual-mapper");
  await expect(mapper.getByTestId("source-vendorName")).toBeVisible();
  for (const [source, target] of MAPPINGS) {
    await mapper.getByTestId(`source-${source}`).dragTo(mapper.getByTestId(`target-${target}`));
  }
  await expect(node(page, "map")).toContainText("6 fields");
  await expect(page.getByTestId("preview-GST_No")).toContainText("27ABCDE1234F1Z5");
  await page.screenshot({ path: `${SHOTS}-2-mapped.png` });

  // The seed's validations.
  await selectNode(page, "validate");
  for (const [i, rule] of RULES.entries()) {
    const n = i + 1;
    await page.getByRole("button", { name: "+ Add rule" }).click();
    await page.getByLabel(`field of rule ${n}`, { exact: true }).fill(rule.field);
    await page.getByLabel(`kind of rule ${n}`, { exact: true }).selectOption(rule.kind);
    if (rule.param) await page.getByLabel(`${rule.param[0]} of rule ${n}`, { exact: true }).selectOption(rule.param[1]);
    if (rule.message) await page.getByLabel(`message of rule ${n}`, { exact: true }).fill(rule.message);
  }
  await expect(node(page, "validate")).toContainText("7 rules on 5 fields");
  await expect(page.getByLabel("error code of rule 3")).toHaveAttribute("placeholder", "INVALID_GST");
  await expect(page.locator("[data-invalid]")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}-3-validations.png` });

  // Dry run on the seed sample: success, every node green.
  await page.getByTestId("dry-run").click();
  await expect(panel.getByTestId("run-result")).toHaveAttribute("data-status", "SUCCESS");
  await expect(panel.getByTestId("run-http-status")).toContainText("200");
  for (const [, id] of NODES) await expect(node(page, id)).toHaveAttribute("data-run", "success");
  await selectNode(page, "store");
  await expect(page.getByTestId("node-run-details")).toContainText("success");
  await page.screenshot({ path: `${SHOTS}-4-dry-run-success.png` });

  // An invalid GSTIN: the validate node and the answer preview show INVALID_GST.
  await panel.getByRole("tab", { name: "Payload" }).click();
  await setPayload(page, { ...SEED_SAMPLE, gstNumber: "27ABCDE1234F1Z" });
  await page.getByTestId("dry-run").click();
  await expect(panel.getByTestId("run-result")).toHaveAttribute("data-status", "FAILED");
  await expect(page.getByTestId("run-badge-validate")).toContainText("INVALID_GST");
  await expect(panel.getByTestId("run-response")).toContainText("INVALID_GST");
  await expect(node(page, "store")).toHaveAttribute("data-run", "skipped");
  await selectNode(page, "validate");
  await expect(page.getByTestId("node-run-details")).toContainText("INVALID_GST");
  await page.screenshot({ path: `${SHOTS}-5-invalid-gst.png` });

  // Put the valid sample back; the analyst sees no Publish button.
  await panel.getByRole("tab", { name: "Payload" }).click();
  await setPayload(page, SEED_SAMPLE);
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved", { timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Publish…" })).toHaveCount(0);

  // An admin publishes it.
  const adminContext = await browser.newContext({ viewport: { width: 1800, height: 1100 } });
  const admin = await adminContext.newPage();
  await signIn(admin, "admin");
  await admin.goto("/flows/vendor-onboarding");
  await expect(admin.getByTestId("node-validate")).toBeVisible();
  await admin.getByRole("button", { name: "Publish…" }).click();
  await admin.getByLabel("What changed?").fill("Vendor onboarding built in the designer");
  await admin.getByRole("button", { name: "Publish v1" }).click();
  await expect(admin.getByTestId("publish-notice")).toHaveText("Published v1.");
  await admin.getByRole("button", { name: "Endpoint", exact: true }).click();
  await expect(admin.getByTestId("endpoint-url")).toContainText("/api/v1/integration/incoming/vendor-onboarding");
  await admin.screenshot({ path: `${SHOTS}-6-published-endpoint.png` });
  await adminContext.close();

  const answer = await callIncoming(request, "vendor-onboarding", { ...SEED_SAMPLE, gstNumber: freshGstin() });
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ status: "success", message: "Record saved successfully", recordId: expect.stringMatching(/^VEND-\d+$/) });
});
