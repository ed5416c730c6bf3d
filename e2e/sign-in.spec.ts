import { expect, test } from "@playwright/test";
import { adminCredentials, signIn } from "./helpers/sign-in";

test("signed out, the console sends you to sign in; a wrong password is refused clearly", async ({ page }) => {
  await page.goto("/flows");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email").fill(adminCredentials().email);
  await page.getByLabel("Password").fill("definitely-not-it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".form-error")).toContainText("Email or password is wrong");
  await page.screenshot({ path: "test-results/sign-in-refused.png" });
});

test("an admin signs in, sees every section and signs out", async ({ page, context }) => {
  await signIn(page, "admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Users", exact: true })).toBeVisible();
  // The signed-in user sits in the page's banner, beside the main navigation.
  const banner = page.getByRole("banner");
  await expect(banner).toContainText("admin@flowport.local");
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("session_token"));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  await page.screenshot({ path: "test-results/signed-in-admin.png" });
  await banner.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a viewer does not see admin-only sections, and the server refuses them anyway", async ({ page }) => {
  await signIn(page, "viewer");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Flows", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users", exact: true })).toHaveCount(0);
  await expect(page.getByRole("banner")).toContainText("viewer");
  const me = await page.request.get("/api/trpc/session.me");
  expect(me.status()).toBe(200);
  const body = (await me.json()) as { result: { data: { json: { permissions: string[] } } } };
  expect(body.result.data.json.permissions).not.toContain("deliveries.retry");
  await page.screenshot({ path: "test-results/signed-in-viewer.png" });
});
