/**
 * Approving an invoice on its record page fires the record store's event: the worker delivers it
 * through invoice-to-accounting (to the demo accounting receiver) and the delivery, with the
 * reference ID the receiver returned, appears in the invoice's history.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers/sign-in";

// Whole journeys with a real worker behind them: give a busy machine time.
test.describe.configure({ timeout: 180_000 });

test("approving an invoice in its record page creates a delivery visible in its history", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Records" }).click();
  await page.getByRole("navigation", { name: "Entities" }).getByRole("link", { name: /^Invoice/ }).click();
  const table = page.getByRole("table", { name: "Invoice records" });
  await expect(table.getByRole("link", { name: /^INV-/ }).first()).toBeVisible();
  await page.getByLabel("Search records").fill("INV/2025/0046");
  await expect(table.getByRole("row")).toHaveCount(2); // the header and the one match
  await table.getByRole("link", { name: /^INV-/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: /^Invoice INV-/ })).toBeVisible();
  await expect(page.getByText("Not sent anywhere yet.")).toBeVisible();
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("approved", { exact: true })).toBeVisible();

  const history = page.getByRole("table", { name: "Delivery history" });
  await expect(history).toContainText("invoice-to-accounting", { timeout: 20_000 });
  await expect(history).toContainText("succeeded", { timeout: 20_000 });
  await expect(history).toContainText(/ACC-\d{6}/);
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/admin-record-approved.png", fullPage: true });
});

test("an operator sends a selection of records to an outgoing flow and sees the result", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/records/Vendor");
  const table = page.getByRole("table", { name: "Vendor records" });
  const boxes = table.getByRole("checkbox");
  await expect(boxes.first()).toBeVisible();
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const send = page.getByRole("group", { name: "Send to API" });
  await send.getByRole("button", { name: "Send 2 records to API" }).click();
  const result = page.getByRole("table", { name: "Send result" });
  await expect(result.getByText("succeeded")).toHaveCount(2, { timeout: 20_000 });
  await page.screenshot({ path: "test-results/admin-records-sent.png", fullPage: true });
});
