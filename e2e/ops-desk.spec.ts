/**
 * The operations screens at a real desk (issue 17), at 1440×900 and 1024×768:
 * - Overview: calls to made-up endpoints (one with a 3,000-character path) are one "Unknown
 *   endpoints" row with a count, never a flow each; nothing makes the Overview or the Logs wider
 *   than the window; the top-error labels stay inside their chart; KPIs and rows open the Logs
 *   filtered to what they count.
 * - Business search: a vendor call is found in the Logs by its GSTIN and its vendor name; the
 *   designer's "Load from a logged request" shows each request's key values.
 */
import { expect, test, type Page } from "@playwright/test";
import { callIncoming, demoApiKey, freshGstin } from "./helpers/endpoint";
import { signIn } from "./helpers/sign-in";

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;

/** The page scrolls sideways when its content is wider than the window. */
async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("the Overview groups unknown endpoints, stays within the window and links every figure to the filtered Logs", async ({ page, request }) => {
  test.setTimeout(180_000);
  const longSlug = `unknown-${"x".repeat(2992)}`;
  for (const slug of [longSlug, "vendor-mastr", "vendor-mastr", "no-such-flow"]) {
    const res = await request.post(`/api/v1/integration/incoming/${slug}`, { headers: { "x-api-key": demoApiKey() }, data: { a: 1 } });
    expect(res.status()).toBe(404);
  }
  expect((await callIncoming(request, "vendor-master", { vendorName: "Overview Traders", gstNumber: freshGstin(), city: "Mumbai" })).status).toBe(200);

  await signIn(page, "operator");
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto("/");
    const perFlow = page.getByRole("figure", { name: "Per flow" });
    const unknown = perFlow.getByRole("row").filter({ hasText: "Unknown endpoints" });
    await expect(unknown).toContainText(/\b3 paths/);
    await expect(unknown.getByRole("cell").nth(2)).toHaveText(/^[4-9]$|^\d{2,}$/);
    // No made-up path is listed as a flow.
    await expect(perFlow.getByRole("row").filter({ hasText: "vendor-mastr" })).toHaveCount(0);
    await expect(perFlow.getByRole("row").filter({ hasText: "unknown-xxx" })).toHaveCount(0);
    await expect(perFlow.getByRole("link", { name: "vendor-master" })).toHaveAttribute("title", "vendor-master");
    expect(await pageOverflow(page), `Overview at ${size.width}px`).toBeLessThanOrEqual(0);
    // Every top-error label starts inside its chart.
    const chart = page.getByRole("figure", { name: "Top error codes" });
    await expect(chart.getByRole("link", { name: /ENDPOINT_NOT_FOUND/ })).toBeVisible();
    const chartBox = (await chart.boundingBox())!;
    for (const tick of await chart.locator("svg a text").all()) {
      const box = (await tick.boundingBox())!;
      expect(box.x, `label ${await tick.textContent()}`).toBeGreaterThanOrEqual(chartBox.x);
    }
    await page.screenshot({ path: `test-results/ops-desk-overview-${size.width}.png`, fullPage: true });
  }

  // The unknown-endpoints row opens those calls in the Logs, for the dashboard's period.
  await page.getByRole("figure", { name: "Per flow" }).getByRole("link", { name: "Unknown endpoints" }).click();
  await expect(page).toHaveURL(/\/logs\?.*q=ENDPOINT_NOT_FOUND/);
  await expect(page).toHaveURL(/[?&]from=/);
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("ENDPOINT_NOT_FOUND");
  const logs = page.getByRole("table", { name: "Incoming Logs" });
  await expect(logs.getByRole("row")).toHaveCount(5); // header + the four calls
  const longRow = logs.getByRole("row").filter({ hasText: "unknown-xxxx" });
  await expect(longRow.locator(".clip-text").first()).toHaveAttribute("title", longSlug);
  expect(await pageOverflow(page), "Logs at 1024px with a 3,000-character path").toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/ops-desk-logs-unknown-1024.png", fullPage: true });
  await page.setViewportSize(SIZES[0]);
  expect(await pageOverflow(page), "Logs at 1440px").toBeLessThanOrEqual(0);

  // The incoming KPI opens the live incoming calls of the period; a flow row, that flow's.
  await page.goto("/");
  await page.getByRole("region", { name: "Dashboard" }).getByRole("link", { name: /incoming requests/ }).click();
  await expect(page).toHaveURL(/\/logs\?.*mode=live/);
  await expect(page.getByLabel("Mode")).toHaveValue("live");
  await page.goto("/");
  await page.getByRole("figure", { name: "Per flow" }).getByRole("link", { name: "vendor-master" }).click();
  await expect(page).toHaveURL(/\/logs\?.*flow=vendor-master/);
  await expect(page.getByRole("combobox", { name: "Flow", exact: true })).toHaveValue("vendor-master");
  await expect(page.getByRole("table", { name: "Incoming Logs" }).getByRole("row").filter({ hasText: "Overview Traders" })).toBeVisible();
  await page.goto("/");
  await page.getByRole("link", { name: "ENDPOINT_NOT_FOUND: open in the Logs" }).click();
  await expect(page).toHaveURL(/\/logs\?.*q=ENDPOINT_NOT_FOUND/);
});

test("a vendor call is found in the Logs by its GSTIN and its vendor name, and the designer's log picker shows its key values", async ({ page, request }) => {
  test.setTimeout(180_000);
  const gstin = freshGstin();
  const name = `Desk Search Traders ${Date.now().toString(36)}`;
  const saved = await callIncoming(request, "vendor-master", { vendorName: name, gstNumber: gstin, contactPerson: "Asha Rao", mobile: "9876543210", city: "Mumbai" });
  expect(saved.status).toBe(200);

  await signIn(page, "admin");
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto(`/logs?q=${encodeURIComponent(gstin.toLowerCase())}`);
    const table = page.getByRole("table", { name: "Incoming Logs" });
    await expect(table.getByRole("row")).toHaveCount(2);
    const row = table.getByRole("row").filter({ hasText: String(saved.body.recordId) });
    await expect(row).toContainText(`GST_No ${gstin}`);
    await expect(row).toContainText(`Vendor_Name ${name}`);
    expect(await pageOverflow(page), `Logs at ${size.width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/ops-desk-search-gstin-${size.width}.png`, fullPage: true });

    // The vendor name, typed in another case, finds the same call.
    await page.getByRole("searchbox", { name: "Search" }).fill(name.toUpperCase());
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(table.getByRole("row").nth(1)).toContainText(String(saved.body.recordId));
  }

  // The designer's log picker: each logged request with its key values.
  await page.setViewportSize(SIZES[0]);
  await page.goto("/flows/vendor-master");
  const panel = page.getByTestId("test-panel");
  await panel.getByRole("button", { name: "Load from a logged request…" }).click();
  const logged = panel.getByRole("list", { name: "Logged requests" });
  const mine = logged.getByRole("button").filter({ hasText: gstin });
  await expect(mine).toContainText(name);
  await expect(mine.getByTestId("logged-key-values")).toContainText("GST_No");
  await mine.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/ops-desk-designer-log-picker-1440.png" });
  await page.setViewportSize(SIZES[1]);
  await mine.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/ops-desk-designer-log-picker-1024.png" });
});
