/**
 * Journey (2) of the designer: an analyst edits the map node's JSONata in Monaco and the visual
 * mapping and the live preview follow; then maps by drag and drop and the JSONata follows back.
 * Monaco is served from our own build: no request leaves the app and none 404s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { pasteText } from "./helpers/clipboard";
import { flowportCli, signIn } from "./helpers/sign-in";

const SHOTS = "test-results/designer-mapper";
/**
 * A published copy of the vendor flow of its own: the edits here autosave a draft, which must not
 * change the state other journeys expect of vendor-master (rollback expects it published, clean).
 */
const SLUG = "vendor-master-mapper-e2e";

test.beforeAll(() => {
  const flow = JSON.parse(fs.readFileSync(path.join("flows", "examples", "vendor-master.flow.json"), "utf8")) as { slug: string; name: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-e2e-flow-"));
  const file = path.join(dir, `${SLUG}.flow.json`);
  fs.writeFileSync(file, JSON.stringify({ ...flow, slug: SLUG, name: "Vendor master (mapper journey)" }));
  flowportCli(["flows", "import", file, "--publish", "--json"]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every request the page and its workers make that leaves the app, or that the app cannot serve. */
function watchNetwork(page: Page): { external: string[]; missing: string[] } {
  const external: string[] = [];
  const missing: string[] = [];
  const origin = new URL(page.context().pages()[0]?.url() || "http://127.0.0.1").origin;
  page.context().on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") external.push(r.url());
  });
  page.context().on("response", (r) => {
    // The browser's own favicon probe is not ours to answer.
    if (r.status() === 404 && !r.url().endsWith("/favicon.ico")) missing.push(r.url());
  });
  void origin;
  return { external, missing };
}

/** The designer for the vendor flow with the map node's editor open and the seed sample selected. */
async function openMapper(page: Page) {
  await page.goto(`/flows/${SLUG}`);
  await page.getByTestId("rf__node-map").click();
  await expect(page.getByTestId("map-node-editor")).toBeVisible();
  const panel = page.getByTestId("test-panel");
  await panel.getByRole("button", { name: /^Seed sample \(§3\.3\)/ }).click();
}

async function monacoFocus(page: Page) {
  const editor = page.getByTestId("jsonata-editor").locator(".monaco-editor");
  await expect(editor).toBeVisible({ timeout: 20_000 });
  await editor.locator(".view-lines").click();
  return editor;
}

/**
 * Replaces the expression the way an analyst does: select all, then paste (or Delete, to empty it:
 * pasting nothing can leave the selection in place, and a quote typed next then wraps it). Repeated
 * until the editor shows the text, whitespace aside: on a busy machine the select-all can land
 * before the click has focused the editor. (`keyboard.insertText` reaches Monaco as typing, one
 * character at a time, so its closers would be auto-closed a second time.)
 */
async function replaceExpression(page: Page, text: string) {
  const lines = page.getByTestId("jsonata-editor").locator(".view-lines");
  const squeezed = (t: string | null) => (t ?? "").replace(/\s/g, "");
  await expect(async () => {
    await monacoFocus(page);
    await page.keyboard.press("ControlOrMeta+A");
    if (text === "") await page.keyboard.press("Delete");
    else await pasteText(page, text);
    await expect.poll(async () => squeezed(await lines.textContent()), { timeout: 2_000 }).toBe(squeezed(text));
  }).toPass({ timeout: 30_000 });
}

test("editing the JSONata in Monaco updates the visual mapping and the preview", async ({ page }) => {
  // Creating the analyst through the CLI and first loads of Monaco are slow on a busy machine.
  test.setTimeout(360_000);
  const network = watchNetwork(page);
  await signIn(page, "analyst");
  await openMapper(page);
  const editor = page.getByTestId("map-node-editor");
  const preview = page.getByTestId("mapper-preview");

  // The seed flow: six fields mapped by name, lines drawn, preview on the seed sample.
  await expect(editor.getByTestId("target-City")).toHaveAttribute("data-mapped", "city");
  await expect(editor.getByTestId("mapper-lines").locator("path")).toHaveCount(6);
  await expect(preview).toContainText('"City": "Mumbai"');
  await page.screenshot({ path: `${SHOTS}-1-visual.png`, fullPage: true });

  // JSONata view: Monaco completes Flowport's functions…
  await editor.getByRole("tab", { name: "JSONata" }).click();
  await replaceExpression(page, "");
  await page.keyboard.type("$formatD");
  await page.keyboard.press("Control+Space");
  const suggest = page.locator(".suggest-widget");
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText("$formatDate");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("jsonata-editor")).toContainText("$formatDate()");
  // …and the sample's fields.
  await replaceExpression(page, '{"x": ');
  await page.keyboard.type("gst");
  await page.keyboard.press("Control+Space");
  await expect(suggest).toContainText("gstNumber");
  await page.keyboard.press("Escape");
  await page.screenshot({ path: `${SHOTS}-2-completion.png`, fullPage: true });

  // Typing is typing: Space is not taken by the canvas (React Flow pans with it), quotes close themselves.
  // Step by step, each awaited: on a busy machine Chromium may hand Monaco several keystrokes as one
  // text update, and a closing quote inside such a batch is inserted rather than typed over.
  const lines = page.getByTestId("jsonata-editor").locator(".view-lines");
  await replaceExpression(page, "");
  await page.keyboard.type('"');
  await expect(lines).toHaveText(/^""$/);
  await page.keyboard.type("Vendor: ", { delay: 20 });
  await expect(lines).toHaveText(/^"Vendor:\s"$/);
  await page.keyboard.press("End");
  await page.keyboard.type(" & vendorName", { delay: 20 });
  await expect(lines).toHaveText(/^"Vendor:\s"\s&\svendorName$/);
  await expect(preview).toContainText('"Vendor: ABC Suppliers"');
  await expect(page.getByTestId("rf__node-map")).toBeVisible();

  // A parse error is marked where it is, and the preview says so.
  await replaceExpression(page, '{\n  "Vendor_Name": vendorName,\n  "City": \n}');
  await expect(page.getByTestId("jsonata-editor").locator(".squiggly-error")).toHaveCount(1);
  await expect(page.getByTestId("mapper-preview-error")).toContainText("Line 4, column 1");
  await page.screenshot({ path: `${SHOTS}-3-error.png`, fullPage: true });

  // A valid edit with transforms: the preview follows within moments…
  const edited = [
    "{",
    '  "Vendor_Name": $trim(vendorName),',
    '  "GST_No": gstNumber,',
    '  "Phone_No": mobile,',
    '  "Email": $lowercase(email),',
    '  "City": city ~> $uppercase',
    "}",
  ].join("\n");
  await replaceExpression(page, edited);
  await expect(preview).toContainText('"City": "MUMBAI"');
  await expect(preview).not.toContainText("Contact_Person");
  const latency = Number(await preview.getAttribute("data-latency-ms"));
  expect(latency).toBeGreaterThan(0);
  expect(latency).toBeLessThan(1000);
  await expect(editor.getByTestId("mapper-summary")).toContainText("5 of 8 fields mapped");
  await page.screenshot({ path: `${SHOTS}-4-code.png`, fullPage: true });

  // …and the visual mapping shows the same mapping, transforms picked.
  await editor.getByRole("tab", { name: "Visual" }).click();
  await expect(editor.getByTestId("transform-City")).toHaveValue("upper");
  await expect(editor.getByTestId("transform-Email")).toHaveValue("lower");
  await expect(editor.getByTestId("transform-Vendor_Name")).toHaveValue("trim");
  await expect(editor.getByTestId("preview-City")).toContainText('"MUMBAI"');
  await expect(editor.getByTestId("target-Contact_Person")).toHaveAttribute("data-mapped", "");
  await expect(editor.getByTestId("mapper-lines").locator("path")).toHaveCount(5);

  // Drag a source onto a target: mapped, a line drawn, the JSONata rewritten.
  await editor.getByTestId("source-contactPerson").dragTo(editor.getByTestId("target-Contact_Person"));
  await expect(editor.getByTestId("target-Contact_Person")).toHaveAttribute("data-mapped", "contactPerson");
  await expect(editor.getByTestId("mapper-lines").locator("path")).toHaveCount(6);
  await expect(preview).toContainText('"Contact_Person": "Ramesh Sharma"');
  await page.screenshot({ path: `${SHOTS}-5-dragged.png`, fullPage: true });

  // The table view shows the seed's columns with the validate node's rules beside each field.
  await editor.getByRole("tab", { name: "Table" }).click();
  const table = editor.getByTestId("mapping-table");
  await expect(table.locator("thead")).toContainText("API Parameter");
  await expect(table.locator('tr[data-row="GST_No"]')).toContainText("required, gstin, unique in Vendor");
  await page.screenshot({ path: `${SHOTS}-6-table.png`, fullPage: true });

  await editor.getByRole("tab", { name: "JSONata" }).click();
  await expect(page.getByTestId("jsonata-editor")).toContainText('"Contact_Person": contactPerson');
  await expect(page.getByTestId("jsonata-editor")).toContainText('"City": city ~> $uppercase');

  expect(network.external).toEqual([]);
  expect(network.missing).toEqual([]);
  // Monaco's editor worker and our preview worker run from our own origin.
  expect(page.workers().length).toBeGreaterThanOrEqual(2);
  for (const worker of page.workers()) expect(new URL(worker.url()).hostname).toBe("127.0.0.1");
});

test.describe("on a narrow window", () => {
  test.use({ viewport: { width: 1100, height: 760 } });

  test("the mapper fits beside the canvas instead of squeezing it away", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, "analyst");
    await openMapper(page);
    const editor = page.getByTestId("map-node-editor");
    await expect(editor.getByTestId("mapper-lines").locator("path")).toHaveCount(6);

    // The canvas keeps a usable width and still shows the whole flow; the palette becomes an icon rail.
    const canvas = await page.getByTestId("canvas").boundingBox();
    expect(canvas?.width).toBeGreaterThanOrEqual(280);
    await expect(page.getByRole("navigation", { name: "Node palette" })).toHaveAttribute("data-compact", "true");
    await expect(page.getByRole("button", { name: "Map fields" })).toBeVisible();
    await page.getByRole("button", { name: "Zoom to fit" }).click();
    for (const id of ["trigger", "map", "respond"]) await expect(page.getByTestId(`rf__node-${id}`)).toBeInViewport();

    // The mapper fits its column: no sideways scrolling, every source field and target visible in width.
    const inspector = page.getByRole("complementary", { name: "Inspector" });
    const overflow = await inspector.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    const column = await inspector.boundingBox();
    for (const id of ["source-contactPerson", "target-Contact_Person"]) {
      const box = await editor.getByTestId(id).boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(column!.x);
      expect(box!.x + box!.width).toBeLessThanOrEqual(column!.x + column!.width + 1);
    }
    await page.screenshot({ path: `${SHOTS}-7-narrow.png`, fullPage: true });

    // The validate node's rules table gets the wide inspector too.
    await page.getByTestId("rf__node-validate").click();
    await expect(page.getByRole("navigation", { name: "Node palette" })).toHaveAttribute("data-compact", "true");
    expect((await inspector.boundingBox())!.width).toBeGreaterThan(440);
    expect((await page.getByTestId("canvas").boundingBox())!.width).toBeGreaterThanOrEqual(280);

    // Closing the editor (the sheet's ✕ selects nothing) gives the palette its names back.
    await page.getByRole("button", { name: "Close the editor" }).click();
    await expect(page.getByRole("navigation", { name: "Node palette" })).not.toHaveAttribute("data-compact", "true");
  });
});
