/**
 * The canvas's own gestures on a copy of the vendor flow: connecting from a node that was not
 * selected (selecting a map node widens the inspector — the canvas must not move under the drag),
 * copy and paste, undo and redo, delete, the live "invalid" badge, zoom to fit and the minimap, and
 * the inspector's pickers for ERP names.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { flowportCli, signIn } from "./helpers/sign-in";

test.use({ viewport: { width: 1500, height: 950 } });

const SHOTS = "test-results/designer-canvas";
/** A draft of its own: the edits here must not touch the flows other journeys use. */
const SLUG = "vendor-master-canvas-e2e";

test.beforeAll(() => {
  const flow = JSON.parse(fs.readFileSync(path.join("flows", "examples", "vendor-master.flow.json"), "utf8")) as {
    edges: { source: string; target: string }[];
  };
  // Without the map → validate edge: the test draws it.
  const edges = flow.edges.filter((e) => !(e.source === "map" && e.target === "validate"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-e2e-flow-"));
  const file = path.join(dir, `${SLUG}.flow.json`);
  fs.writeFileSync(file, JSON.stringify({ ...flow, edges, slug: SLUG, name: "Vendor master (canvas spec)" }));
  flowportCli(["flows", "import", file, "--json"]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const edges = (page: Page) => page.locator(".react-flow__edge");
const cards = (page: Page) => page.locator(".react-flow__node");

async function centre(locator: Locator) {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The designer, loaded and measured, with nothing selected. */
async function open(page: Page) {
  await signIn(page, "analyst");
  await page.goto(`/flows/${SLUG}`);
  await expect(node(page, "respond")).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
}

/** A node's position in flow coordinates, and the view's zoom (React Flow's transforms). */
async function flowPosition(page: Page, id: string) {
  return page.evaluate((id) => {
    const parse = (t: string) => t.match(/-?[\d.]+/g)!.map(Number);
    const card = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${id}"]`)!;
    const [x, y] = parse(card.style.transform);
    const viewport = parse(document.querySelector<HTMLElement>(".react-flow__viewport")!.style.transform);
    return { x: x!, y: y!, zoom: viewport[2]! };
  }, id);
}

test("a connection dragged from an unselected map node lands on its target", async ({ page }) => {
  await open(page);
  await expect(edges(page)).toHaveCount(4);

  // One drag, no retries: press on the map node's output handle (the node is not selected) and move.
  const source = await centre(node(page, "map").locator(".react-flow__handle.source"));
  const target = await centre(node(page, "validate").locator(".react-flow__handle.target"));
  await page.mouse.move(source.x, source.y);
  await page.mouse.down();
  await page.mouse.move(source.x + 20, source.y + 10, { steps: 4 });
  expect(await centre(node(page, "validate").locator(".react-flow__handle.target"))).toEqual(target);
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();

  await expect(edges(page)).toHaveCount(5);
  await expect(page.locator('[data-testid^="rf__edge-map:"][data-testid$="->validate"]')).toHaveCount(1);
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
  await page.screenshot({ path: `${SHOTS}-1-connected.png` });
});

test("dragging an unselected map node moves it with the pointer; its wide inspector opens when the drag ends", async ({ page }) => {
  await open(page);
  const palette = page.getByRole("navigation", { name: "Node palette" });
  const paletteWidth = (await palette.boundingBox())!.width;
  const before = await flowPosition(page, "map");

  // Dragging selects the node, and a selected map node gets the wide mapper inspector (a narrower
  // palette): the canvas must not move while the pointer is still down.
  const start = await centre(node(page, "map"));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 30, start.y + 20, { steps: 5 });
  await page.mouse.move(start.x + 90, start.y + 60, { steps: 10 });
  expect((await palette.boundingBox())!.width).toBe(paletteWidth);
  await page.mouse.up();

  const after = await flowPosition(page, "map");
  // In screen pixels, within React Flow's drag threshold (the first step of the move starts the drag).
  expect(Math.abs((after.x - before.x) * before.zoom - 90)).toBeLessThan(10);
  expect(Math.abs((after.y - before.y) * before.zoom - 60)).toBeLessThan(10);
  // Released: the mapper opens beside the canvas.
  await expect(page.getByTestId("map-node-editor")).toBeVisible();
  await expect.poll(async () => (await palette.boundingBox())!.width).toBeLessThan(paletteWidth);
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
});

test("copy, paste, undo, redo and delete on the canvas; a pasted node without input shows its problem badge", async ({ page }) => {
  await open(page);
  const before = await cards(page).count();
  await node(page, "respond").click();
  await page.keyboard.press("ControlOrMeta+C");
  await page.keyboard.press("ControlOrMeta+V");
  await expect(cards(page)).toHaveCount(before + 1);
  // The copy is selected, unconnected, and the engine's live graph check flags it.
  const pasted = page.locator(".react-flow__node.selected");
  await expect(pasted).toHaveCount(1);
  await expect(pasted.locator('[role="img"][aria-label$="problem(s)"]')).toBeVisible();
  const pastedId = (await pasted.getAttribute("data-id"))!;
  expect(pastedId).not.toBe("respond");
  await page.screenshot({ path: `${SHOTS}-2-pasted.png` });

  await page.keyboard.press("ControlOrMeta+Z");
  await expect(cards(page)).toHaveCount(before);
  await page.keyboard.press("ControlOrMeta+Shift+Z");
  await expect(cards(page)).toHaveCount(before + 1);
  await node(page, pastedId).click();
  await page.getByRole("button", { name: "Delete selected" }).click();
  await expect(cards(page)).toHaveCount(before);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(cards(page)).toHaveCount(before + 1);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(cards(page)).toHaveCount(before);
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");

  // Reloaded, the draft is what the canvas showed last.
  await page.reload();
  await expect(node(page, "respond")).toBeVisible();
  await expect(cards(page)).toHaveCount(before);
});

test("zoom to fit brings every node into view; the minimap shows the flow", async ({ page }) => {
  await open(page);
  const canvas = page.getByTestId("canvas");
  // Zoom far in: most of the flow leaves the view.
  await canvas.locator(".react-flow__pane").hover();
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400);
  const inView = async () => {
    const box = (await canvas.boundingBox())!;
    let n = 0;
    for (const card of await cards(page).all()) {
      const b = (await card.boundingBox())!;
      if (b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width && b.y + b.height <= box.y + box.height) n++;
    }
    return n;
  };
  const total = await cards(page).count();
  await expect.poll(inView).toBeLessThan(total);
  await page.getByRole("button", { name: "Zoom to fit" }).click();
  await expect.poll(inView).toBe(total);
  await expect(page.getByRole("img", { name: "Minimap" })).toBeVisible();
  await expect(canvas.locator(".react-flow__minimap .react-flow__minimap-node")).toHaveCount(total);
});

test("the inspector offers the ERP's entities and fields as pickers", async ({ page }) => {
  await open(page);
  await node(page, "store").click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const entity = inspector.getByRole("combobox", { name: /^Entity/ });
  await expect(entity).toBeVisible();
  await expect(entity).toHaveValue("Vendor");
  const options = await entity.locator("option").allTextContents();
  for (const name of ["Vendor", "Customer", "Invoice", "Project"]) expect(options).toContain(name);
  // A field picker follows the chosen entity.
  const keyField = inspector.getByRole("combobox", { name: "Key field" });
  const fields = await keyField.locator("option").allTextContents();
  expect(fields.join(" ")).toContain("GST_No");
  await page.screenshot({ path: `${SHOTS}-3-pickers.png` });
});
