/**
 * Admin journey: issue an API key in the console, copy it with the copy button, and call the
 * incoming API with it over real HTTP. The key is shown once: reopening the client shows only its prefix.
 */
import { expect, test } from "@playwright/test";
import { issueApiKey } from "./helpers/ops";
import { signIn } from "./helpers/sign-in";

// Whole journeys with a real worker behind them: give a busy machine time.
test.describe.configure({ timeout: 180_000 });

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("an admin issues an API key, copies it, and a real call with it succeeds", async ({ page, request }) => {
  await signIn(page, "admin");
  const { key: shown, shownOnce: once } = await issueApiKey(page, "e2e-partner", "Partner CRM (browser journey)");
  await once.getByRole("button", { name: "Copy api key" }).click();
  await expect(once.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  await page.screenshot({ path: "test-results/admin-api-key-issued.png", fullPage: true });
  await once.getByRole("button", { name: "I have stored it" }).click();
  await expect(once).toHaveCount(0);

  const response = await request.post("/api/v1/integration/incoming/vendor-master", {
    headers: { "x-api-key": copied, "content-type": "application/json" },
    data: { vendorName: "Browser Journey Traders", gstNumber: "27ABCDE4321F1Z5", mobile: "9876543210", email: "bj@example.com", city: "Mumbai" },
  });
  expect(response.status()).toBe(200);
  const answer = (await response.json()) as { recordId: string; requestId: string };
  expect(answer).toMatchObject({ status: "success", recordId: expect.stringMatching(/^VEND-\d+$/) });

  // The vendor's record page names the call that created it.
  await page.goto(`/records/Vendor/${answer.recordId}`);
  const origin = page.getByRole("region", { name: "Incoming origin" });
  await expect(origin).toContainText("flow vendor-master");
  await expect(origin).toContainText("e2e-partner");
  await expect(origin).toContainText(answer.requestId);
  await page.goto("/clients");

  // Shown once: the client's page lists the key by prefix only, and now says when it was last used.
  await page.getByRole("link", { name: "e2e-partner" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API client e2e-partner" })).toBeVisible();
  const keys = page.getByRole("table", { name: "Keys and tokens" });
  await expect(keys).toContainText(`${copied.slice(0, 12)}_••••`);
  await expect(page.locator("body")).not.toContainText(copied.slice(13));
  await expect(page.getByText(/last used (?!never)/)).toBeVisible();
  await page.screenshot({ path: "test-results/admin-api-key-client.png", fullPage: true });

  // A revoked key stops working on the next call.
  await keys.getByRole("button", { name: `Revoke ${copied.slice(0, 12)}` }).click();
  await expect(keys).toContainText("revoked");
  const refused = await request.post("/api/v1/integration/incoming/vendor-master", {
    headers: { "x-api-key": copied, "content-type": "application/json" },
    data: { vendorName: "Too Late Traders", gstNumber: "27ABCDE4322F1Z5", mobile: "9876543210", email: "tl@example.com", city: "Mumbai" },
  });
  expect(refused.status()).toBe(401);

  // The audit log has who issued and revoked it, by prefix only.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  const filter = page.getByRole("form", { name: "Filter the audit log" });
  await filter.getByLabel("Target").fill("e2e-partner");
  await filter.getByRole("button", { name: "Filter" }).click();
  const audit = page.getByRole("table", { name: "Audit log" });
  await expect(audit.getByRole("row").filter({ hasText: "client.key_revoked" })).toContainText("admin@flowport.local");
  await expect(audit.getByRole("row").filter({ hasText: "client.created" })).toContainText(copied.slice(0, 12));
  await expect(audit).not.toContainText(copied.slice(13));
  await page.screenshot({ path: "test-results/admin-audit-log.png", fullPage: true });
});
