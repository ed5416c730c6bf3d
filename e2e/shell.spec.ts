import { expect, test } from "@playwright/test";
import { signIn } from "./helpers/sign-in";

test("the console shell opens and every section is reachable from the navigation", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Flows", "Records", "Logs", "Failed Queue", "API Clients", "Connections", "API Docs", "Users"]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
  }
  await page.screenshot({ path: "test-results/shell.png", fullPage: true });
  // The tab shows our icon (and the browser has no reason to probe a missing /favicon.ico).
  const icon = await page.locator('head link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  const served = await page.request.get(icon!);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toContain("image/svg+xml");
});

test("health reports the database and the worker", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: { ok: true }, worker: { ok: true } });
});
