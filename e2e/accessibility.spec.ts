/**
 * Accessibility (issue 17, point 7): axe-core checks every page of the console (WCAG 2 A and AA)
 * with no serious or critical violation, including the designer with its mapper and test drawer
 * open, dialogs and a log's execution detail; then keyboard journeys at 1440×900 and 1024×768: the
 * skip link, a short way to the canvas with a visible focus ring on the node and its handle, a
 * field mapped in the visual mapper without a mouse, and two nodes connected with Enter.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { selectNode } from "./helpers/canvas";
import { callIncoming, freshGstin } from "./helpers/endpoint";
import { startReceiver, type Receiver } from "./helpers/ops";
import { flowportCli, signIn } from "./helpers/sign-in";

const SHOTS = "test-results/accessibility";
/** A copy of the vendor flow of its own: the keyboard mapping autosaves a draft of it. */
const SLUG = "a11y-journey-e2e";

test.describe.configure({ timeout: 240_000 });

/** Fails with a readable list of every serious or critical violation on the page as it is now. */
async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 6).map((n) => `    ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`).join("\n"));
  expect.soft(report, `axe on ${label}`).toEqual([]);
  // A check that ran over nothing proves nothing: the page had content to check.
  expect(results.passes.length, `axe passes on ${label}`).toBeGreaterThan(5);
}

function importFlowCopy(): void {
  const flow = JSON.parse(fs.readFileSync(path.join("flows", "examples", "vendor-master.flow.json"), "utf8")) as { slug: string; name: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-e2e-flow-"));
  const file = path.join(dir, `${SLUG}.flow.json`);
  fs.writeFileSync(file, JSON.stringify({ ...flow, slug: SLUG, name: "Accessibility journey (vendor copy)" }));
  flowportCli(["flows", "import", file, "--publish", "--json"]);
  fs.rmSync(dir, { recursive: true, force: true });
}

test.beforeAll(() => importFlowCopy());

test.describe("axe over every page", () => {
  test.use({ viewport: { width: 1440, height: 900 } });
  let receiver: Receiver;
  let accounting: { baseUrl: string; owner: string } | undefined;

  test.beforeAll(async () => {
    // One failed delivery, so the Failed Queue and the Outgoing Logs have rows to check: the accounting
    // connection points at a receiver answering 500 until the delivery runs out of attempts.
    receiver = await startReceiver("ACC-A11Y");
    const listed = JSON.parse(flowportCli(["connections", "list", "--json"])) as { connections: { name: string; baseUrl: string; owner: string }[] };
    accounting = listed.connections.find((c) => c.name === "accounting-system")!;
    flowportCli(["connections", "set", "accounting-system", "--url", receiver.url, "--credential", "accounting-api-token", "--allow-private", "--max-attempts", "2", "--json"]);
    const created = JSON.parse(
      flowportCli(["records", "create", "Invoice", "--json", "--data", JSON.stringify({ Invoice_No: `INV/A11Y/${Date.now()}`, Invoice_Date: "2025-12-20", Total_Amount: 990, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102", GST_No: "27ABCDE1234F1Z5" })]),
    ) as { record: { recordId: string } };
    flowportCli(["records", "transition", "Invoice", created.record.recordId, "approved", "--json"]);
  });

  test.afterAll(async () => {
    // Later journeys expect the seeded demo receiver.
    if (accounting) flowportCli(["connections", "set", "accounting-system", "--url", accounting.baseUrl, "--owner", accounting.owner, "--credential", "accounting-api-token", "--allow-private", "--json"]);
    await receiver?.close();
  });

  test("the sign-in page", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page, "/sign-in");
  });

  test("every console page, as an admin", async ({ page, request }) => {
    // A logged call, a validation failure and a vendor record to open.
    const ok = await callIncoming(request, "vendor-master", { vendorName: "A11y Traders", gstNumber: freshGstin(), contactPerson: "Asha Rao", mobile: "9876543210", email: "a11y@example.com", city: "Pune" });
    expect(ok.status).toBe(200);
    const bad = await callIncoming(request, "vendor-master", { vendorName: "", gstNumber: "nope" });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    await signIn(page, "admin");

    const pages: { url: string; ready: (p: Page) => Promise<void> }[] = [
      { url: "/", ready: (p) => expect(p.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible() },
      { url: "/flows", ready: (p) => expect(p.getByRole("link", { name: "Vendor master", exact: true }).first()).toBeVisible() },
      { url: "/records/Vendor", ready: (p) => expect(p.getByRole("table", { name: "Vendor records" }).getByRole("row").nth(1)).toBeVisible() },
      { url: `/records/Vendor/${String(ok.body.recordId)}`, ready: (p) => expect(p.getByRole("heading", { level: 1 })).toContainText("Vendor") },
      { url: "/logs", ready: (p) => expect(p.getByRole("table", { name: "Incoming Logs" }).getByRole("row").nth(2)).toBeVisible() },
      { url: "/logs/outgoing", ready: (p) => expect(p.getByRole("table", { name: "Outgoing Logs" })).toBeVisible() },
      { url: "/logs/retention", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() },
      { url: "/clients", ready: (p) => expect(p.getByRole("main").getByRole("link", { name: "demo", exact: true })).toBeVisible() },
      { url: "/clients/demo", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toContainText("demo") },
      { url: "/connections", ready: (p) => expect(p.getByText("accounting-system").first()).toBeVisible() },
      { url: "/connections/credentials", ready: (p) => expect(p.getByText("accounting-api-token").first()).toBeVisible() },
      { url: "/api-docs", ready: (p) => expect(p.getByRole("heading", { level: 1, name: "API Docs" })).toBeVisible() },
      { url: "/settings", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() },
      { url: "/users", ready: (p) => expect(p.getByRole("heading", { level: 1, name: "Users" })).toBeVisible() },
      { url: "/audit", ready: (p) => expect(p.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible() },
    ];
    for (const { url, ready } of pages) {
      await page.goto(url);
      await ready(page);
      await expect(page.getByRole("main")).toBeVisible();
      await expectNoSeriousViolations(page, url);
    }

    // A log's execution detail.
    await page.goto("/logs");
    await page.getByRole("table", { name: "Incoming Logs" }).getByRole("row").filter({ hasText: String(ok.body.recordId) }).click();
    await expect(page.getByRole("dialog", { name: "Execution detail" })).toBeVisible();
    await expectNoSeriousViolations(page, "/logs with an execution open");

    // Dialogs and forms that open over a page.
    await page.goto("/flows");
    await page.getByRole("button", { name: "New flow" }).click();
    await expect(page.getByRole("dialog", { name: "New flow" })).toBeVisible();
    await expectNoSeriousViolations(page, "/flows with the New flow dialog");
    await page.goto("/clients");
    await page.getByRole("button", { name: "New API client" }).click();
    await expect(page.getByRole("form", { name: "New API client" })).toBeVisible();
    await expectNoSeriousViolations(page, "/clients with the New API client form");
  });

  test("a viewer's pages, the forbidden ones included", async ({ page }) => {
    await signIn(page, "viewer");
    for (const url of ["/", "/users", "/audit"]) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousViolations(page, `${url} as a viewer`);
    }
  });

  test("the Failed Queue with a failed delivery in it", async ({ page }) => {
    await signIn(page, "admin");
    await expect.poll(() => receiver.bodies.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await page.goto("/failed-queue");
    const row = page.getByRole("table", { name: "Failed deliveries" }).getByRole("row").nth(1);
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expectNoSeriousViolations(page, "/failed-queue");
    await row.getByRole("button", { name: "Edit & retry" }).click();
    await expect(page.getByRole("dialog", { name: "Edit payload and retry" }).locator(".monaco-editor")).toBeVisible({ timeout: 20_000 });
    await expectNoSeriousViolations(page, "/failed-queue with Edit & retry open");
  });

  test("the designer: canvas, mapper and test drawer", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto(`/flows/${SLUG}`);
    await expect(page.getByTestId("rf__node-map")).toBeVisible();
    await expectNoSeriousViolations(page, "designer");
    await page.getByTestId("rf__node-map").click();
    await expect(page.getByTestId("map-node-editor")).toBeVisible();
    await expect(page.getByTestId("mapper-lines").locator("path")).toHaveCount(6);
    await expectNoSeriousViolations(page, "designer with the mapper");
    // The mapper is a sheet over the canvas's right part: close it before picking another node.
    // It was panned to show the map node: the validate node may be out of view (selectNode fits it in).
    await page.getByRole("button", { name: "Close the editor" }).click();
    await selectNode(page, "validate");
    await expectNoSeriousViolations(page, "designer with the rules table");
    await page.getByRole("button", { name: "Publish…" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousViolations(page, "designer with the publish dialog");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Versions" }).click();
    await expect(page.getByRole("dialog", { name: "Versions" })).toBeVisible();
    await expectNoSeriousViolations(page, "designer with the versions dialog");
  });
});

/**
 * The outline the browser draws around an element now (the focus ring), as computed style; width in
 * screen pixels (inside the canvas, the computed width times the canvas's zoom).
 */
async function outlineOf(page: Page, selector: string): Promise<{ style: string; width: number; color: string }> {
  return page.locator(selector).first().evaluate((el) => {
    const s = getComputedStyle(el);
    const viewport = el.closest<HTMLElement>(".react-flow__viewport");
    const zoom = viewport ? new DOMMatrix(getComputedStyle(viewport).transform).a : 1;
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) * zoom, color: s.outlineColor };
  });
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
]) {
  test.describe(`keyboard at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("skip to content, then to the canvas in four keys, with a focus ring on the node and its handle", async ({ page }) => {
      await signIn(page, "admin");
      await page.goto(`/flows/${SLUG}`);
      await expect(page.getByTestId("rf__node-map")).toBeVisible();
      await expect(page.getByRole("banner")).toBeVisible();
      await expect(page.getByRole("main")).toHaveCount(1);

      // First Tab: the skip link, shown on focus; Enter moves focus into the page's main content.
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: "Skip to content" });
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await page.screenshot({ path: `${SHOTS}-skip-link-${viewport.width}.png` });
      await page.keyboard.press("Enter");
      await expect(page.getByRole("main")).toBeFocused();

      // Then the designer's own skip link: straight to a node, past the top bar and the palette.
      await page.keyboard.press("Tab");
      await expect(page.getByRole("link", { name: "Skip to canvas" })).toBeFocused();
      await page.keyboard.press("Enter");
      const focusedNode = page.locator(".react-flow__node:focus");
      await expect(focusedNode).toHaveCount(1);
      const id = (await focusedNode.getAttribute("data-id"))!;
      const ring = await outlineOf(page, `[data-testid="node-${id}"]`);
      expect(ring.style).toBe("solid");
      expect(ring.width).toBeGreaterThanOrEqual(2);
      // An unfocused card has no ring: the ring is the focus, not the card's look.
      const other = await page.locator(".react-flow__node:not(:focus)").first().getAttribute("data-id");
      expect((await outlineOf(page, `[data-testid="node-${other}"]`)).style).toBe("none");
      await page.screenshot({ path: `${SHOTS}-node-focus-${viewport.width}.png` });

      // Tab reaches the node's handle, which shows its own ring.
      await page.keyboard.press("Tab");
      const handle = page.locator(".react-flow__handle:focus");
      await expect(handle).toHaveCount(1);
      await expect(handle).toHaveAttribute("aria-label", /^(Input|Output)/);
      const handleRing = await outlineOf(page, ".react-flow__handle:focus");
      expect(handleRing.style).toBe("solid");
      expect(handleRing.width).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: `${SHOTS}-handle-focus-${viewport.width}.png` });
    });
  });
}

test("a field is mapped in the visual mapper with the keyboard alone, and the JSONata follows", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "analyst");
  for (const [viewport, source, previewed] of [
    [{ width: 1440, height: 900 }, "contactPerson", "Ramesh Sharma"],
    [{ width: 1024, height: 768 }, "vendorName", "ABC Suppliers"],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.goto(`/flows/${SLUG}`);
    await page.getByTestId("rf__node-map").click();
    const editor = page.getByTestId("map-node-editor");
    await expect(editor).toBeVisible();
    await page.getByTestId("test-panel").getByRole("button", { name: /^Seed sample \(§3\.3\)/ }).click();
    await expect(editor.getByTestId("mapper-lines").locator("path")).toHaveCount(6);

    // The source fields are one listbox, one Tab stop: arrows move, Enter chooses. Tab from the
    // mapper's view tabs reaches it.
    const sources = editor.getByRole("listbox", { name: /choose one, then a target/ });
    await editor.getByRole("tab", { name: "Visual" }).focus();
    for (let i = 0; i < 12 && !(await sources.getByRole("option").first().evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await expect(sources.getByRole("option", { name: /^vendorName/ })).toBeFocused();
    for (let i = 0; i < 8 && !(await editor.getByTestId(`source-${source}`).evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await expect(editor.getByTestId(`source-${source}`)).toBeFocused();
    expect((await outlineOf(page, `[data-testid="source-${source}"]`)).style).toBe("solid");
    await page.keyboard.press("Enter");
    await expect(editor.getByTestId(`source-${source}`)).toHaveAttribute("aria-selected", "true");

    // Tab leaves the list for the first target, Vendor_Name, whose name is a button: Enter maps.
    await page.keyboard.press("Tab");
    const target = editor.getByTestId("target-Vendor_Name").getByRole("button", { name: "Vendor_Name", exact: true });
    await expect(target).toBeFocused();
    await expect(target).toHaveAccessibleDescription(new RegExp(`map ${source} to it`));
    const targetRing = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(targetRing).toBe("solid");
    await page.screenshot({ path: `${SHOTS}-mapper-target-focus-${viewport.width}.png` });
    await page.keyboard.press("Enter");
    await expect(editor.getByTestId("target-Vendor_Name")).toHaveAttribute("data-mapped", source);
    await expect(editor.getByTestId("preview-Vendor_Name")).toContainText(previewed);
    await expect(target).toBeFocused();
    await page.screenshot({ path: `${SHOTS}-mapper-mapped-${viewport.width}.png` });

    // The expression follows.
    await editor.getByRole("tab", { name: "JSONata" }).click();
    await expect(page.getByTestId("jsonata-editor")).toContainText(`"Vendor_Name": ${source}`);
    await editor.getByRole("tab", { name: "Visual" }).click();
    // Let the autosave land before the next load of the page.
    await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved", { timeout: 20_000 });
  }
});

test("Enter on an output handle and then on another node's input connects them; Ctrl+Z takes it back", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto(`/flows/${SLUG}`);
  await expect(page.getByTestId("rf__node-respond")).toBeVisible();
  const edges = page.locator(".react-flow__edge");
  const before = await edges.count();
  expect(before).toBeGreaterThan(0);
  // Focus reaches handles by Tab (the journey above); here straight to the two of interest.
  const authName = (await page.getByTestId("node-auth").locator("[title]").first().getAttribute("title"))!;
  const out = page.getByRole("button", { name: `Output of ${authName}`, exact: true });
  await out.focus();
  await page.keyboard.press("Enter");
  await expect(out).toHaveClass(/clickconnecting/);
  const respondName = (await page.getByTestId("node-respond").locator("[title]").first().getAttribute("title"))!;
  const input = page.getByRole("button", { name: `Input of ${respondName}`, exact: true });
  await input.focus();
  await page.keyboard.press("Enter");
  await expect(edges).toHaveCount(before + 1);
  await page.screenshot({ path: `${SHOTS}-keyboard-connect.png` });
  await page.keyboard.press("Control+z");
  await expect(edges).toHaveCount(before);
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved", { timeout: 20_000 });
});
