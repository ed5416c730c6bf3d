/**
 * Outgoing: an approved invoice is delivered to a local accounting receiver that answers 500; after
 * its attempts it lands in the Failed Queue (badge in the navigation), is edited and retried from
 * there, and shows delivered with the accounting reference ID in the Outgoing Logs and on the invoice.
 * A viewer sees the queue but cannot retry (and the server refuses it too). Every action ends in a
 * result message (issue 17); a row links to its delivery's detail and expands to the whole error.
 * Journeys at 1440×900 and 1024×768.
 */
import { expect, test } from "@playwright/test";
import { monacoJsonEditor, monacoText, replaceMonacoText } from "./helpers/monaco";
import { appDatabase, startReceiver, type Receiver } from "./helpers/ops";
import { flowportCli, signIn } from "./helpers/sign-in";

const REFERENCE = `ACC-E2E-${Date.now().toString(36).toUpperCase()}`;
let receiver: Receiver;
let invoiceId: string;
const sql = appDatabase();

test.beforeAll(async () => {
  receiver = await startReceiver(REFERENCE);
  // The accounting system is this test's receiver (an admin allows a private address explicitly).
  flowportCli(["connections", "set", "accounting-system", "--url", receiver.url, "--credential", "accounting-api-token", "--allow-private", "--json"]);
  const created = JSON.parse(
    flowportCli(["records", "create", "Invoice", "--json", "--data", JSON.stringify({ Invoice_No: `INV/E2E/${Date.now()}`, Invoice_Date: "2025-12-20", Total_Amount: 4200, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102", GST_No: "27ABCDE1234F1Z5" })]),
  ) as { record: { recordId: string } };
  invoiceId = created.record.recordId;
  flowportCli(["records", "transition", "Invoice", invoiceId, "approved", "--json"]);
});

test.afterAll(async () => {
  await receiver?.close();
  await sql.end({ timeout: 5 });
});

async function deliveryStatus(): Promise<string | undefined> {
  const [row] = await sql<{ status: string }[]>`select status from deliveries where record_id = ${invoiceId} and flow_slug = 'invoice-to-accounting'`;
  return row?.status;
}

test("a delivery answered 500 lands in the Failed Queue, is edited and retried, and shows delivered with its reference ID", async ({ page }) => {
  test.setTimeout(150_000);
  // Five attempts with exponential backoff (at most ~15 s), every one answered 500.
  await expect.poll(deliveryStatus, { timeout: 60_000, intervals: [500] }).toBe("failed");
  expect(receiver.bodies.length).toBe(5);

  await signIn(page, "admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: /Failed Queue/ }).locator(".nav-badge")).toHaveText(/^[1-9]\d*$/);
  await nav.getByRole("link", { name: /Failed Queue/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Failed Queue" })).toBeVisible();
  const row = page.getByRole("table", { name: "Failed deliveries" }).getByRole("row").filter({ hasText: invoiceId });
  await expect(row).toContainText("Retries exhausted after 5 attempts (last: HTTP 500)");
  await expect(row).toContainText("5/5");
  await expect(row).toContainText("Eligible");
  await page.screenshot({ path: "test-results/ops-failed-queue.png", fullPage: true });

  // The whole last error on expand, not cut; the row's record opens the delivery's detail.
  await page.setViewportSize({ width: 1440, height: 900 });
  await row.getByRole("button", { name: `Show the whole error of ${invoiceId}` }).click();
  const whole = page.getByLabel(`Whole error of ${invoiceId}`, { exact: true });
  await expect(whole).toBeVisible();
  await expect(whole).toContainText("HTTP 500");
  const shown = await whole.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(shown.scroll).toBeLessThanOrEqual(shown.client); // wrapped, never cut
  await page.screenshot({ path: "test-results/ops-failed-queue-error-1440.png", fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/ops-failed-queue-error-1024.png", fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await row.getByRole("link", { name: `Invoice ${invoiceId}` }).click();
  await expect(page).toHaveURL(/\/logs\/outgoing\?execution=/);
  const detail = page.getByRole("dialog", { name: "Execution detail" });
  await expect(detail.getByRole("region", { name: "Attempts" }).getByRole("row")).toHaveCount(6); // header + 5 attempts
  await page.screenshot({ path: "test-results/ops-failed-queue-delivery-detail.png", fullPage: true });
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Failed Queue" })).toBeVisible();

  // Edit the body (a note for accounting) in Monaco and retry, now that accounting is back.
  receiver.mode = "ok";
  await row.getByRole("button", { name: "Edit & retry" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit payload and retry" });
  const editor = await monacoJsonEditor(dialog);
  const original = receiver.bodies[0] as Record<string, unknown>;
  await expect.poll(() => monacoText(editor)).toContain(`"invoiceNumber": "${String(original.invoiceNumber)}"`);
  const save = dialog.getByRole("button", { name: "Save and retry" });
  await expect(save).toBeEnabled();

  // Text that is not JSON cannot be sent: the button is disabled and the parse error says why.
  await replaceMonacoText(page, editor, '{"note": "resent after the outage",');
  await expect(dialog.getByRole("alert")).toContainText("Not valid JSON");
  await expect(save).toBeDisabled();
  await page.screenshot({ path: "test-results/ops-failed-queue-edit-invalid.png", fullPage: true });

  await replaceMonacoText(page, editor, JSON.stringify({ ...original, note: "resent after the outage" }));
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await expect(save).toBeEnabled();
  await page.screenshot({ path: "test-results/ops-failed-queue-edit.png", fullPage: true });
  await save.click();
  await expect(dialog).toBeHidden();
  // The row leaves the queue with a message saying what happened to it, followed until delivered.
  const message = page.getByTestId("queue-result");
  await expect(message).toContainText(`Saved the edited payload and retried Invoice ${invoiceId}:`);
  await expect(message).toContainText(`retried Invoice ${invoiceId}: delivered.`, { timeout: 30_000 });
  await page.screenshot({ path: "test-results/ops-failed-queue-retried-1440.png", fullPage: true });

  await expect.poll(deliveryStatus, { timeout: 30_000, intervals: [500] }).toBe("succeeded");
  expect(receiver.bodies.at(-1)).toMatchObject({ ...original, note: "resent after the outage" });
  await page.reload();
  await expect(page.getByRole("table", { name: "Failed deliveries" }).getByRole("row").filter({ hasText: invoiceId })).toHaveCount(0);

  // Outgoing Logs: the last attempt delivered, with the reference ID; the drawer lists all six attempts.
  await page.goto("/logs/outgoing");
  await page.getByRole("searchbox", { name: "Search" }).fill(REFERENCE);
  await page.getByRole("button", { name: "Apply" }).click();
  const delivered = page.getByRole("table", { name: "Outgoing Logs" }).getByRole("row").filter({ hasText: REFERENCE });
  await expect(delivered).toContainText("SUCCESS");
  await expect(delivered).toContainText(invoiceId);
  await delivered.click();
  const drawer = page.getByRole("dialog", { name: "Execution detail" });
  await expect(drawer.getByRole("region", { name: "Attempts" })).toContainText("succeeded");
  await expect(drawer.getByRole("region", { name: "Attempts" }).getByRole("row")).toHaveCount(7); // header + 6 attempts
  await expect(drawer.getByLabel("Request body")).toContainText("resent after the outage");
  await page.screenshot({ path: "test-results/ops-outgoing-delivered.png", fullPage: true });

  // The invoice shows the delivery as succeeded with the accounting reference, and links to its attempts.
  await page.goto(`/records/Invoice/${encodeURIComponent(invoiceId)}`);
  const history = page.getByRole("table", { name: "Delivery history" }).getByRole("row").filter({ hasText: "invoice-to-accounting" });
  await expect(history).toContainText("succeeded");
  await expect(history).toContainText(REFERENCE);
  await expect(page.getByRole("region", { name: "Incoming origin" })).toContainText(REFERENCE);
  await page.screenshot({ path: "test-results/ops-invoice-delivered.png", fullPage: true });
  await history.getByRole("link", { name: "View attempts" }).click();
  await expect(page).toHaveURL(/\/logs\/outgoing\?/);
  await expect(page.getByRole("table", { name: "Outgoing Logs" }).getByRole("row")).toHaveCount(7); // header + 6 attempts
  const [invoice] = await sql<{ external_refs: Record<string, string>; data: Record<string, unknown> }[]>`
    select external_refs, data from records where entity = 'Invoice' and record_id = ${invoiceId}`;
  expect(invoice!.external_refs["invoice-to-accounting"]).toBe(REFERENCE);
  expect(invoice!.data.Accounting_Ref).toBe(REFERENCE);
});

test("a viewer sees the Failed Queue but cannot retry, and the server refuses a retry anyway", async ({ page }) => {
  test.setTimeout(150_000); // the viewer is created through the CLI first
  receiver.mode = "fail";
  await sql`update deliveries set status = 'failed', retryable = true where record_id = ${invoiceId}`;
  await signIn(page, "viewer");
  await page.goto("/failed-queue");
  await expect(page.getByRole("heading", { level: 1, name: "Failed Queue" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Failed deliveries" }).getByRole("row").filter({ hasText: invoiceId })).toBeVisible();
  await expect(page.getByText("Your role can look but not retry or discard.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Retry now/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit & retry" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/ops-failed-queue-viewer.png", fullPage: true });

  const [delivery] = await sql<{ id: string }[]>`select id from deliveries where record_id = ${invoiceId}`;
  // From the page's own origin (a cross-origin POST is refused before the role is even read).
  const refused = await page.request.post("/api/trpc/failedQueue.retry", { headers: { origin: new URL(page.url()).origin }, data: { json: { ids: [delivery!.id] } } });
  expect(refused.status()).toBe(403);
  expect(JSON.stringify(await refused.json())).toContain("does not allow");
  expect(await deliveryStatus()).toBe("failed");
});

test("an operator selects a failed delivery and discards it with a reason, recorded in the audit log", async ({ page }) => {
  test.setTimeout(150_000);
  await sql`update deliveries set status = 'failed', retryable = true where record_id = ${invoiceId}`;
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, "operator");
  await page.goto("/failed-queue");
  const rows = page.getByRole("table", { name: "Failed deliveries" }).getByRole("row").filter({ hasText: invoiceId });
  const message = page.getByTestId("queue-result");

  // Retry now (a bulk action on the selection): the message follows the delivery to "delivered".
  receiver.mode = "ok";
  await rows.getByRole("checkbox", { name: `Select ${invoiceId}` }).check();
  await page.getByRole("button", { name: "Retry now (1)" }).click();
  await expect(message).toContainText(/Retried 1 delivery: (queued|delivering|delivered)\./);
  await expect(message).toContainText("Retried 1 delivery: delivered.", { timeout: 30_000 });
  await expect(rows).toHaveCount(0);
  await page.screenshot({ path: "test-results/ops-failed-queue-retry-now-1024.png", fullPage: true });
  expect(await deliveryStatus()).toBe("succeeded");

  // Back in the queue (as if it had failed again), then discarded with a reason.
  await sql`update deliveries set status = 'failed', retryable = true where record_id = ${invoiceId}`;
  await page.reload();
  await rows.getByRole("checkbox", { name: `Select ${invoiceId}` }).check();
  await page.getByRole("button", { name: "Discard… (1)" }).click();
  const dialog = page.getByRole("dialog", { name: "Discard deliveries" });
  const discard = dialog.getByRole("button", { name: "Discard" });
  await expect(discard).toBeDisabled(); // a reason first
  await dialog.getByLabel("Reason").fill("already keyed in by accounting");
  await discard.click();
  await expect(dialog).toBeHidden();
  await expect(message).toHaveText(/Discarded 1 delivery\./);
  await expect(rows).toHaveCount(0);
  await page.screenshot({ path: "test-results/ops-failed-queue-discarded-1024.png", fullPage: true });
  expect(await deliveryStatus()).toBe("discarded");

  // The admin reads who discarded what, and why.
  await page.context().clearCookies();
  await signIn(page, "admin");
  await page.goto("/audit");
  const entry = page.getByRole("table", { name: "Audit log" }).getByRole("row").filter({ hasText: "delivery.discarded" }).first();
  await expect(entry).toContainText("operator@flowport.local");
  await expect(entry).toContainText("already keyed in by accounting");
  await page.screenshot({ path: "test-results/ops-failed-queue-discarded-audit.png", fullPage: true });
});
