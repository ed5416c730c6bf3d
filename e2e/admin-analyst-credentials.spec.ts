/** An analyst sees connections (names and URLs) but no credentials: no tab, a refusal page, FORBIDDEN from the API. */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers/sign-in";

// Whole journeys with a real worker behind them: give a busy machine time.
test.describe.configure({ timeout: 180_000 });

test("an analyst cannot see credentials", async ({ page }) => {
  await signIn(page, "analyst");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Connections" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
  const table = page.getByRole("table", { name: "Connections" });
  await expect(table).toContainText("accounting-system");
  await expect(table.getByRole("columnheader", { name: "Credential" })).toHaveCount(0);
  await expect(table).not.toContainText("accounting-api-token");
  await expect(page.getByRole("link", { name: "Credentials" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Test connection" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/admin-analyst-connections.png", fullPage: true });

  await page.goto("/connections/credentials");
  await expect(page.getByRole("alert").filter({ hasText: "Not available to your role" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Credentials" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/admin-analyst-credentials-refused.png", fullPage: true });

  // The server refuses too, whatever the page shows.
  const listed = await page.request.get("/api/trpc/connections.credentials");
  expect(listed.status()).toBe(403);
  expect(JSON.stringify(await listed.json())).toContain("FORBIDDEN");
  // From the page's own origin (a cross-origin POST is refused before the role is even read).
  const write = await page.request.post("/api/trpc/connections.saveCredential", { headers: { origin: new URL(page.url()).origin }, data: { json: { name: "sneaky", type: "bearer", secret: "x" } } });
  expect(write.status()).toBe(403);
  expect(JSON.stringify(await write.json())).toContain("does not allow");

  // Return status rules: an analyst reads them but can change neither the defaults nor a flow's overrides.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("table", { name: "Per-flow status rules" })).toContainText("vendor-master");
  await expect(page.getByLabel("SUCCESS HTTP status").first()).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save defaults" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit overrides" })).toHaveCount(0);
});

test("an admin sees and manages credentials, masked", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/connections");
  // "Test connection" calls the demo accounting system with its credential and shows the verdict.
  const connection = page.getByRole("table", { name: "Connections" }).getByRole("row").filter({ hasText: "payment-portal" });
  await connection.getByRole("button", { name: "Test connection" }).click();
  await expect(connection.getByRole("status", { name: "Test result payment-portal" })).toContainText(/^reachable .*answered HTTP \d{3} \(\d+ ms\)$/);
  // Editing shows the connection's own credential (the names load after the form opens), and saving keeps it.
  await connection.getByRole("button", { name: "Edit" }).click();
  const form = page.getByRole("form", { name: "Connection" });
  await expect(form.getByLabel(/^Credential/)).toHaveValue("payment-portal-key");
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(form).toHaveCount(0);
  await expect(connection).toContainText("payment-portal-key");
  await page.screenshot({ path: "test-results/admin-connection-tested.png", fullPage: true });
  await page.getByRole("link", { name: "Credentials" }).click();
  const table = page.getByRole("table", { name: "Credentials" });
  await expect(table).toContainText("accounting-api-token");
  await expect(table).toContainText("••••");
  await expect(page.getByText("Provided by the external system owner.")).toBeVisible();
  await page.screenshot({ path: "test-results/admin-credentials.png", fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("button", { name: "Save defaults" })).toBeEnabled();
  await page.getByRole("row", { name: /vendor-master/ }).getByRole("button", { name: "Edit overrides" }).click();
  await expect(page.getByRole("form", { name: "Status rules of vendor-master" })).toBeVisible();
  await page.screenshot({ path: "test-results/admin-status-rules.png", fullPage: true });
});

test("an admin gives a connection its own retry schedule, a typo named before saving", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/connections");
  // A connection of its own, so the demo connections other journeys use stay as they are.
  await page.getByRole("button", { name: "New connection" }).click();
  const form = page.getByRole("form", { name: "Connection" });
  await form.getByLabel("Name", { exact: true }).fill("erp-hub");
  await form.getByLabel("Base URL").fill("https://hub.example.com/api");
  const schedule = form.getByLabel(/Retry schedule/);
  await schedule.fill("5s, 5x, 2h");
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(form.getByRole("alert")).toHaveText("Retry schedule: '5x' is not a duration like 5s, 10m or 2h");
  await expect(schedule).toHaveAttribute("aria-invalid", "true");
  // Shown as an error (--danger), not as a grey note beside the field.
  await expect(form.getByRole("alert")).toHaveCSS("color", "rgb(198, 40, 40)");
  // At a desk's two sizes: the error sits whole under its field, inside the form, and nothing scrolls sideways.
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(size);
    const alert = form.getByRole("alert");
    await alert.scrollIntoViewIfNeeded();
    const [alertBox, formBox, fieldBox] = [await alert.boundingBox(), await form.boundingBox(), await schedule.boundingBox()];
    expect(alertBox!.x, `error's left edge at ${size.width}`).toBeGreaterThanOrEqual(formBox!.x);
    expect(alertBox!.x + alertBox!.width, `error's right edge at ${size.width}`).toBeLessThanOrEqual(formBox!.x + formBox!.width + 1);
    expect(alertBox!.y, `error under its field at ${size.width}`).toBeGreaterThanOrEqual(fieldBox!.y + fieldBox!.height - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `sideways scroll at ${size.width}`).toBeLessThanOrEqual(0);
    // The list below fits too: every row's Test connection / Edit / Delete in view, not scrolled off to the right.
    const table = page.getByRole("table", { name: "Connections" });
    expect(await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth), `Connections table scrolls sideways at ${size.width}`).toBeLessThanOrEqual(1);
    const deleteBox = await table.getByRole("row").filter({ hasText: "accounting-system" }).getByRole("button", { name: "Delete" }).boundingBox();
    expect(deleteBox!.x + deleteBox!.width, `Delete in view at ${size.width}`).toBeLessThanOrEqual(size.width);
    await page.screenshot({ path: `test-results/admin-connection-retry-schedule-error-${size.width}.png`, fullPage: true });
  }
  await schedule.fill("5s, 5m, 2h");
  await form.getByLabel(/^Attempts/).fill("6");
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(form).toHaveCount(0);
  const row = page.getByRole("table", { name: "Connections" }).getByRole("row").filter({ hasText: "erp-hub" });
  await expect(row).toContainText("6 attempts · 5s, 5m, 2h");
  // Edited again: the field shows the schedule as saved; emptied, the default comes back.
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(form.getByLabel(/Retry schedule/)).toHaveValue("5s, 5m, 2h");
  await form.getByLabel(/Retry schedule/).fill("");
  await form.getByLabel(/^Attempts/).fill("");
  await form.getByRole("button", { name: "Save connection" }).click();
  await expect(row).toContainText("default attempts · default schedule");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
});
