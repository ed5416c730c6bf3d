/**
 * Incoming Logs: a call made with an API key an admin just issued on the API Clients page appears
 * with its trace; the record it created links back to it; a call that failed validation shows up
 * by live refresh, is found by search (the filter kept in the address), bulk dry-run by filter
 * after a count, dry-run from its validate node with that node's logged input fixed, and finally
 * fixed and replayed against the published version.
 */
import { expect, test } from "@playwright/test";
import { monacoJsonEditor, monacoText, replaceMonacoText } from "./helpers/monaco";
import { issueApiKey } from "./helpers/ops";
import { signIn } from "./helpers/sign-in";

const vendor = (gstNumber: string) => ({
  vendorName: "E2E Ops Traders",
  gstNumber,
  contactPerson: "Asha Rao",
  mobile: "9876543210",
  email: "ops@example.com",
  city: "Mumbai",
});

test("a call with a newly issued API key appears in Incoming Logs with its trace, and a failed one is fixed and replayed", async ({ page, request }) => {
  test.setTimeout(180_000);
  await signIn(page, "admin");
  const { key: apiKey, shownOnce } = await issueApiKey(page, "e2e-ops-caller", "Vendor portal (operations journey)");
  await shownOnce.getByRole("button", { name: "I have stored it" }).click();

  const ok = await request.post("/api/v1/integration/incoming/vendor-master", { headers: { "x-api-key": apiKey }, data: vendor("27ABCDE7001F1Z5") });
  expect(ok.status()).toBe(200);
  const okBody = (await ok.json()) as { recordId: string; requestId: string };

  await page.goto("/logs");
  await expect(page.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();
  const table = page.getByRole("table", { name: "Incoming Logs" });
  const row = table.getByRole("row").filter({ hasText: okBody.recordId });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText("e2e-ops-caller");
  await expect(row).toContainText("SUCCESS");
  await row.click();

  const drawer = page.getByRole("dialog", { name: "Execution detail" });
  await expect(drawer).toContainText(okBody.requestId);
  const trace = drawer.getByRole("list", { name: "Trace" });
  for (const node of ["trigger", "auth", "map", "validate", "store", "respond"]) await expect(trace).toContainText(node);
  // The key is redacted in the logged headers: its public prefix only.
  await expect(drawer.getByRole("region", { name: "Request" })).toContainText("[redacted]");
  await expect(drawer).not.toContainText(apiKey);
  await trace.getByRole("button", { name: /Map to ERP fields/ }).click();
  await expect(drawer.getByLabel("Output of map")).toContainText("Vendor_Name");
  await page.screenshot({ path: "test-results/ops-incoming-log-trace.png", fullPage: true });
  await drawer.getByRole("button", { name: "Close" }).click();
  await expect(drawer).toBeHidden();
  await expect(page).toHaveURL(/\/logs$/);

  // The vendor's record page links to the call that created it; the link opens that call's detail.
  await page.goto(`/records/Vendor/${okBody.recordId}`);
  await page.getByRole("region", { name: "Incoming origin" }).getByRole("link").click();
  await expect(page).toHaveURL(/\/logs\?execution=/);
  await expect(drawer).toContainText(okBody.requestId);
  await expect(drawer).toContainText("e2e-ops-caller");
  await drawer.getByRole("button", { name: "Close" }).click();

  // A bad GSTIN fails validation; the open list shows it by itself (live refresh), and search finds it.
  const bad = await request.post("/api/v1/integration/incoming/vendor-master", { headers: { "x-api-key": apiKey }, data: vendor("27ABCDE12") });
  expect(bad.status()).toBe(400);
  const badBody = (await bad.json()) as { requestId: string };
  await expect(table.getByRole("row").filter({ hasText: badBody.requestId.slice(0, 13) })).toContainText("INVALID_GST", { timeout: 15_000 });
  await page.getByRole("searchbox", { name: "Search" }).fill(badBody.requestId);
  await page.getByRole("button", { name: "Apply" }).click();
  const badRow = table.getByRole("row").filter({ hasText: "INVALID_GST" });
  await expect(badRow).toHaveCount(1);
  // The filter is in the address: a reload (or the link, shared) shows the same filtered view.
  await page.getByLabel("Status").selectOption("FAILED");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${badBody.requestId}`));
  await expect(page).toHaveURL(/[?&]status=FAILED/);
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(badBody.requestId);
  await expect(page.getByLabel("Status")).toHaveValue("FAILED");
  await expect(table.getByRole("row")).toHaveCount(2); // header + the one failed call
  await expect(badRow).toHaveCount(1);

  // Bulk: everything the filter matches (not only this page), counted and confirmed first.
  await page.getByRole("button", { name: "Replay all matching…" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Replay all matching" });
  await expect(confirm).toContainText("Replay 1 incoming calls matching this filter");
  await confirm.getByLabel("Replay target").selectOption("draft");
  await page.screenshot({ path: "test-results/ops-incoming-bulk-confirm.png", fullPage: true });
  await confirm.getByRole("button", { name: "Replay 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Replayed 1:" })).toContainText("0 succeeded, 1 failed");
  await expect(confirm).toBeHidden();
  await badRow.click();

  // Replay from the validate node with its logged input, fixed, as a dry run on the draft.
  await trace.getByRole("button", { name: /Validate vendor/ }).click();
  const loggedInput = JSON.parse((await drawer.getByLabel("Input of validate").textContent())!) as Record<string, unknown>;
  const gstField = Object.keys(loggedInput).find((k) => loggedInput[k] === "27ABCDE12")!;
  expect(gstField).toBeTruthy();
  await trace.getByRole("button", { name: "Replay from Validate vendor…" }).click();
  const replay = drawer.getByRole("region", { name: "Replay" });
  await expect(replay.getByLabel("Start at")).toHaveValue("validate");
  await replay.getByRole("checkbox", { name: "Edit the node's input first" }).check();
  const nodeEditor = await monacoJsonEditor(replay);
  await expect.poll(() => monacoText(nodeEditor)).toContain(`"${gstField}": "27ABCDE12"`);
  await replaceMonacoText(page, nodeEditor, JSON.stringify({ ...loggedInput, [gstField]: "27ABCDE7003F1Z5" }));
  await replay.getByRole("button", { name: "Dry run on draft" }).click();
  await expect(drawer.getByRole("status").filter({ hasText: "Dry run:" })).toContainText("SUCCESS");
  await page.screenshot({ path: "test-results/ops-incoming-dry-run-from-node.png", fullPage: true });

  // Fix the payload in the drawer and replay it on the published version.
  await replay.getByLabel("Start at").selectOption("");
  await drawer.getByRole("checkbox", { name: /Edit the payload first/ }).check();
  await expect.poll(() => monacoText(nodeEditor)).toContain('"gstNumber": "27ABCDE12"');
  await replaceMonacoText(page, nodeEditor, JSON.stringify(vendor("27ABCDE7002F1Z5")));
  await drawer.getByRole("button", { name: "Replay on published version" }).click();
  const result = drawer.getByRole("status").filter({ hasText: "Replay:" });
  await expect(result).toContainText("SUCCESS");
  await expect(result).toContainText(/VEND-\d+/);
  await expect(drawer.getByRole("region", { name: "Replays" })).toContainText("replay");
  await page.screenshot({ path: "test-results/ops-incoming-replayed.png", fullPage: true });
});

test("the overview dashboard charts requests, error rate and top error codes", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/");
  const dashboard = page.getByRole("region", { name: "Dashboard" });
  await expect(dashboard.getByLabel("Requests and deliveries per hour")).toBeVisible();
  await expect(dashboard.locator(".recharts-surface").first()).toBeVisible();
  await expect(dashboard.getByLabel("Top error codes")).toContainText("INVALID_GST");
  await dashboard.getByRole("button", { name: "Last 7 days" }).click();
  await expect(dashboard.getByLabel("Per flow")).toContainText("vendor-master");
  await page.screenshot({ path: "test-results/ops-dashboard.png", fullPage: true });
});
