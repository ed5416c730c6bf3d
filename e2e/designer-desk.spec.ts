/**
 * The designer at a real user's desk (issue 17, points 1, 6, 8 and the small ones of 9): a laptop's
 * window, not a 1800 px test screen. The navigation collapses, a flow opens whole at a readable
 * zoom, the mapper opens as a sheet without squeezing the canvas, run badges stay legible zoomed
 * out, the header stays one row after Publish, click-to-add never stacks cards, the dry run's node
 * list reads in execution order, and no page scrolls sideways at 1024 px.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { flowportCli, signIn } from "./helpers/sign-in";

const SHOTS = "test-results/designer-desk";

/** The zoom React Flow applies, read from its viewport's transform. */
async function zoomOf(page: Page): Promise<number> {
  const transform = await page.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);
  const match = /scale\(([\d.]+)\)/.exec(transform);
  if (!match) throw new Error(`no scale in "${transform}"`);
  return Number(match[1]);
}

const cards = (page: Page) => page.locator(".react-flow__node");

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error("not rendered");
  return b;
}

/** Every card lies inside the canvas. */
async function allCardsInside(page: Page, right?: number): Promise<boolean> {
  const canvas = await box(page.getByTestId("canvas"));
  const limit = right ?? canvas.x + canvas.width;
  for (const card of await cards(page).all()) {
    const b = await box(card);
    if (b.x < canvas.x - 1 || b.y < canvas.y - 1 || b.x + b.width > limit + 1 || b.y + b.height > canvas.y + canvas.height + 1) return false;
  }
  return true;
}

/** vendor-master under another slug, its nodes listed last-first (as if built from the answer backwards). */
function importReversedVendor(slug: string, name: string): void {
  const file = JSON.parse(fs.readFileSync("flows/examples/vendor-master.flow.json", "utf8")) as { slug: string; name: string; nodes: { type: string; config: Record<string, unknown> }[] };
  file.slug = slug;
  file.name = name;
  for (const node of file.nodes) if (node.type === "trigger.http") node.config.slug = slug;
  file.nodes.reverse();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-"));
  const target = path.join(dir, `${slug}.flow.json`);
  fs.writeFileSync(target, JSON.stringify(file, null, 2));
  flowportCli(["flows", "import", target]);
}

async function openDesigner(page: Page, slug: string, { whole = true } = {}) {
  await page.goto(`/flows/${slug}`);
  await expect(page.getByTestId("node-validate")).toBeVisible();
  // fitView has applied once every card is measured.
  await expect(page.locator("body")).toHaveAttribute("data-designer-rendered", /\d/);
  if (whole) await expect.poll(() => allCardsInside(page)).toBe(true);
}

test.describe("at 1440×900", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("vendor-master opens whole at a readable zoom; the mapper opens as a sheet; badges stay legible zoomed out", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, "admin");
    await openDesigner(page, "vendor-master");

    // The console's navigation is a rail with a menu button here.
    // The banner (brand, navigation, user) is the rail; the navigation landmark sits inside it.
    const rail = page.getByRole("banner");
    const nav = rail.getByRole("navigation", { name: "Main" });
    await expect(rail).toHaveAttribute("data-collapsed", "true");
    expect((await box(rail)).width).toBeLessThanOrEqual(60);
    await expect(nav.getByRole("link", { name: "Logs", exact: true })).toBeHidden();
    await page.getByRole("button", { name: "Show navigation" }).click();
    await expect(nav.getByRole("link", { name: "Logs", exact: true })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}-1440-nav-open.png` });
    await page.getByRole("button", { name: "Hide navigation" }).click();
    await expect(nav.getByRole("link", { name: "Logs", exact: true })).toBeHidden();

    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
    expect(await cards(page).count()).toBe(6);
    await page.screenshot({ path: `${SHOTS}-1440-open.png` });

    // The mapper: a sheet over the canvas. The canvas keeps its size and zoom, and the map node stays in view beside it.
    const canvasBefore = await box(page.getByTestId("canvas"));
    const zoomBefore = await zoomOf(page);
    await page.getByTestId("rf__node-map").click();
    const sheet = page.getByRole("complementary", { name: "Inspector" });
    await expect(sheet).toHaveAttribute("data-sheet", "true");
    await expect(page.getByTestId("map-node-editor")).toBeVisible();
    const sheetBox = await box(sheet);
    expect(sheetBox.width).toBeGreaterThanOrEqual(700);
    // Not squeezed: as wide as before or wider (the palette became a rail), and not zoomed out.
    await expect.poll(async () => (await box(page.getByTestId("canvas"))).width).toBeGreaterThanOrEqual(canvasBefore.width);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(zoomBefore - 0.01);
    await expect.poll(async () => {
      const card = await box(page.getByTestId("rf__node-map"));
      return card.x + card.width <= sheetBox.x;
    }).toBe(true);
    await page.screenshot({ path: `${SHOTS}-1440-mapper-sheet.png` });
    await page.getByRole("button", { name: "Close the editor" }).click();
    await expect(sheet).not.toHaveAttribute("data-sheet", "true");

    // The palette shrinks to an icon rail on request, and back.
    const palette = page.getByRole("navigation", { name: "Node palette" });
    const wide = (await box(palette)).width;
    await page.getByRole("button", { name: "Shrink the palette to icons" }).click();
    await expect(palette).toHaveAttribute("data-compact", "true");
    await expect.poll(async () => (await box(palette)).width).toBeLessThan(60);
    await page.getByRole("button", { name: "Show node names in the palette" }).click();
    await expect.poll(async () => (await box(palette)).width).toBeGreaterThanOrEqual(wide - 1);

    // A dry run: badges with words, still legible at zoom 0.5.
    await page.getByTestId("dry-run").click();
    await expect(page.getByTestId("run-result")).toBeVisible();
    const badge = page.getByTestId("run-badge-trigger");
    await expect(badge).toHaveText(/✓ ok|✕ \w+/);
    await page.getByTestId("canvas").locator(".react-flow__pane").hover({ position: { x: 30, y: 200 } });
    for (let i = 0; i < 12 && (await zoomOf(page)) > 0.55; i++) await page.mouse.wheel(0, 120);
    const zoom = await zoomOf(page);
    expect(zoom).toBeGreaterThanOrEqual(0.45);
    expect(zoom).toBeLessThanOrEqual(0.56);
    for (const id of ["trigger", "validate", "respond"]) {
      const b = await box(page.getByTestId(`run-badge-${id}`));
      // 18 px at zoom 1; at 0.5 unscaled it would be 9 px, a dot.
      expect(b.height, id).toBeGreaterThanOrEqual(14);
      await expect(page.getByTestId(`run-badge-${id}`)).toHaveText(/\w{2,}/);
    }
    await page.screenshot({ path: `${SHOTS}-1440-badges-zoom-05.png` });
  });
});

test.describe("at 1440×900, the rules sheet open", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("Zoom to fit fits the flow into the part of the canvas the sheet leaves, and every card can be clicked", async ({ page }) => {
    await signIn(page, "analyst");
    await openDesigner(page, "vendor-master");
    await page.getByTestId("rf__node-validate").click();
    const sheet = page.getByRole("complementary", { name: "Inspector" });
    await expect(sheet).toHaveAttribute("data-sheet", "true");
    const sheetLeft = (await box(sheet)).x;
    // The sheet lies over the right of the canvas: some cards are under it.
    await expect.poll(() => allCardsInside(page, sheetLeft)).toBe(false);
    await page.screenshot({ path: `${SHOTS}-1440-sheet-before-fit.png` });

    await page.getByRole("button", { name: "Zoom to fit" }).click();
    await expect.poll(() => allCardsInside(page, sheetLeft)).toBe(true);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.5);
    await page.screenshot({ path: `${SHOTS}-1440-sheet-fitted.png` });
    // Nothing on top of any card: a click on its middle reaches it, and opens its editor.
    await page.getByTestId("rf__node-store").click({ timeout: 5_000 });
    await expect(page.getByTestId("rf__node-store")).toHaveClass(/\bselected\b/);
    await expect(sheet.getByRole("textbox", { name: "Numbering series" })).toBeVisible();
  });
});

test.describe("at 1366×768", () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test("vendor-master opens whole at zoom ≥ 0.5", async ({ page }) => {
    await signIn(page, "analyst");
    await openDesigner(page, "vendor-master");
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.5);
    await page.screenshot({ path: `${SHOTS}-1366-open.png` });
  });
});

test.describe("at 1280×800", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("the header stays one row after Publish; click-to-add lands in free space; node results in execution order", async ({ page }) => {
    test.setTimeout(180_000);
    importReversedVendor("desk-vendor", "Desk vendor onboarding from the supplier portal");
    await signIn(page, "admin");
    await openDesigner(page, "desk-vendor");

    const header = page.getByTestId("flow-state").locator("xpath=ancestor::div[1]");
    const oneRow = async () => {
      const bar = await box(header);
      const publish = await box(page.getByRole("button", { name: "Publish…" }));
      const crumbs = await box(page.getByRole("navigation", { name: "Breadcrumb" }));
      return bar.height < 48 && Math.abs(publish.y + publish.height / 2 - (crumbs.y + crumbs.height / 2)) < 6;
    };
    expect(await oneRow()).toBe(true);
    await page.getByRole("button", { name: "Publish…" }).click();
    await page.getByRole("button", { name: "Publish v1" }).click();
    await expect(page.getByTestId("publish-notice")).toHaveText("Published v1.");
    expect(await oneRow()).toBe(true);
    // The long flow name gives way, not the notice.
    expect(await page.getByTestId("publish-notice").evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}-1280-published-header.png` });

    // The dry run's node list reads in the order the run went, though the file lists the nodes last-first.
    await page.getByTestId("dry-run").click();
    const results = page.getByRole("list", { name: "Node results" }).locator("li");
    await expect(results).toHaveCount(6);
    expect(await results.evaluateAll((items) => items.map((li) => li.getAttribute("data-node")))).toEqual(["trigger", "auth", "map", "validate", "store", "respond"]);
    await page.screenshot({ path: `${SHOTS}-1280-node-results.png` });

    // Click-to-add, three times, with a node selected and without: never on top of another card.
    await page.getByTestId("rf__node-respond").click();
    await page.getByTestId("palette-map").click();
    await page.getByTestId("palette-map").click();
    const pane = page.getByTestId("canvas").locator(".react-flow__pane");
    await pane.click({ position: { x: 20, y: (await box(pane)).height - 20 } });
    await page.getByTestId("palette-branch").click();
    await expect(cards(page)).toHaveCount(9);
    const boxes = await cards(page).evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const [p, q] = [boxes[a]!, boxes[b]!];
        const overlap = p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
        expect(overlap, `cards ${a} and ${b} overlap`).toBe(false);
      }
    }
    await page.screenshot({ path: `${SHOTS}-1280-click-to-add.png` });
  });
});

test.describe("at 1024×768", () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test("no page scrolls sideways", async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page, "admin");
    const pages = ["/", "/flows", "/flows/vendor-master", "/records", "/logs", "/logs/outgoing", "/logs/retention", "/failed-queue", "/clients", "/connections", "/connections/credentials", "/api-docs", "/settings", "/users", "/audit"];
    // The pages behind a row: an entity's records, a record, an API client.
    await page.goto("/records");
    const entity = await page.locator('main a[href^="/records/"]').first().getAttribute("href");
    if (entity) {
      pages.push(entity);
      await page.goto(entity);
      const record = await page.locator(`main a[href^="${entity}/"]`).first().getAttribute("href");
      if (record) pages.push(record);
    }
    await page.goto("/clients");
    const client = await page.locator('main a[href^="/clients/"]').first().getAttribute("href");
    if (client) pages.push(client);

    const wide: string[] = [];
    for (const url of pages) {
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      const sizes = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, client: document.scrollingElement!.clientWidth }));
      if (sizes.scroll > sizes.client) wide.push(`${url}: ${sizes.scroll} > ${sizes.client}`);
      await page.screenshot({ path: `${SHOTS}-1024${url.replace(/\//g, "_") || "_"}.png` });
    }
    expect(wide).toEqual([]);
  });

  test("the designer at 1024: the mapper sheet leaves the canvas, the test drawer's samples and tabs are whole", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, "analyst");
    // Eight nodes beside the inspector on a 1024 px screen: readable (≥ 0.5) rather than all in view.
    await openDesigner(page, "material-receipt", { whole: false });
    await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(0.5);
    await page.screenshot({ path: `${SHOTS}-1024-designer.png` });

    // Every sample reachable; no tab name cut.
    const panel = page.getByTestId("test-panel");
    const samples = panel.getByRole("list", { name: "Samples" });
    const count = await samples.getByRole("listitem").count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (const option of await samples.getByRole("listitem").all()) {
      await option.scrollIntoViewIfNeeded();
      await expect(option).toBeInViewport();
      const name = option.locator(".sample-name");
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    }
    for (const tab of await panel.getByRole("tab").all()) {
      expect(await tab.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), await tab.innerText()).toBe(true);
    }

    // The rules table in the sheet: its columns readable.
    await page.getByTestId("rf__node-validate").click();
    const sheet = page.getByRole("complementary", { name: "Inspector" });
    await expect(sheet).toHaveAttribute("data-sheet", "true");
    const canvas = await box(page.getByTestId("canvas"));
    expect(canvas.width).toBeGreaterThanOrEqual(400);
    // Each header, field, rule kind and error code (or its placeholder) fits its cell, at the table's own scroll.
    const cut = await sheet.locator('table[aria-label="Validation rules"]').evaluate((table) => {
      const probe = document.createElement("span");
      probe.style.position = "absolute";
      probe.style.whiteSpace = "pre";
      document.body.append(probe);
      const cutTexts: string[] = [];
      // Messages are sentences an input may scroll; fields, rule kinds and codes are words that must show whole.
      for (const el of table.querySelectorAll<HTMLElement>('th, [aria-label^="field of rule"], [aria-label^="kind of rule"], [aria-label^="error code of rule"]')) {
        const text = el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? "") : el instanceof HTMLInputElement ? el.value || el.placeholder : (el.textContent ?? "");
        if (!text) continue;
        probe.style.font = getComputedStyle(el).font;
        probe.textContent = text;
        const chrome = el instanceof HTMLSelectElement ? 24 : el instanceof HTMLInputElement ? 10 : 0;
        if (probe.getBoundingClientRect().width + chrome > el.clientWidth) cutTexts.push(text);
      }
      probe.remove();
      return cutTexts;
    });
    expect(cut).toEqual([]);
    await page.screenshot({ path: `${SHOTS}-1024-rules-sheet.png` });

    // Zoom to fit beside the sheet: the user asked to see all of it, so the whole flow shows in the
    // narrow strip the sheet leaves, small (below the 0.5 a flow opens at), none of it under the sheet.
    await page.getByRole("button", { name: "Zoom to fit" }).click();
    const sheetLeft = (await box(sheet)).x;
    await expect.poll(() => allCardsInside(page, sheetLeft)).toBe(true);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.1);
    await page.screenshot({ path: `${SHOTS}-1024-rules-sheet-fitted.png` });
  });
});
