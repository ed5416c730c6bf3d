/**
 * Journey (3): an admin changes a published flow, publishes it with a note, compares the versions
 * side by side, and rolls back — and each time the live endpoint answers as the running version says.
 */
import { expect, test } from "@playwright/test";
import { callIncoming, freshGstin } from "./helpers/endpoint";
import { signIn } from "./helpers/sign-in";

const SHOTS = "test-results/designer-rollback";
const vendor = () => ({ vendorName: "Rollback Traders", gstNumber: freshGstin(), mobile: "9876543210", email: "a@b.co", city: "Mumbai" });

test.setTimeout(180_000);

test("rollback to a previous version changes what the endpoint does", async ({ page, request }) => {
  const before = await callIncoming(request, "vendor-master", vendor());
  expect(before).toMatchObject({ status: 200, body: { status: "success", message: "Record saved successfully" } });

  await signIn(page, "admin");
  await page.goto("/flows");
  await expect(page.getByTestId("flow-row-vendor-master")).toContainText("published");
  await page.getByTestId("flow-row-vendor-master").getByRole("link", { name: "Vendor master" }).click();
  await expect(page.getByTestId("node-validate")).toBeVisible();
  await expect(page.getByTestId("flow-state")).toContainText("v1 live");

  // The flow's own settings: the success answer's message.
  const pane = page.getByTestId("canvas").locator(".react-flow__pane");
  await pane.click({ position: { x: (await pane.boundingBox())!.width - 15, y: 15 } });
  await page.getByLabel("message for SUCCESS").fill("Vendor registered (v2)");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
  await page.screenshot({ path: `${SHOTS}-1-edited.png` });

  await page.getByRole("button", { name: "Publish…" }).click();
  await page.getByLabel("What changed?").fill("Friendlier success message");
  await page.getByRole("button", { name: "Publish v2" }).click();
  await expect(page.getByTestId("publish-notice")).toHaveText("Published v2.");
  const v2 = await callIncoming(request, "vendor-master", vendor());
  expect(v2).toMatchObject({ status: 200, body: { message: "Vendor registered (v2)" } });

  await page.getByRole("button", { name: "Versions" }).click();
  const dialog = page.getByRole("dialog", { name: "Versions" });
  await expect(dialog.getByTestId("version-2")).toContainText("Friendlier success message");
  await expect(dialog.getByTestId("version-2")).toContainText("live");
  // The draft is exactly v2 now: no separate "Draft" row.
  await expect(dialog.getByTestId("version-1")).toBeVisible();
  await expect(dialog.getByTestId("version-draft")).toHaveCount(0);
  await dialog.getByLabel("compare v1").check();
  await dialog.getByLabel("compare v2").check();
  await dialog.getByRole("button", { name: /Compare v1 ↔ v2/ }).click();
  const diff = page.getByRole("dialog", { name: "Compare v1 and v2" });
  await expect(diff.locator('tr[data-kind="changed"]')).toContainText("Vendor registered (v2)");
  await expect(diff.getByTestId("diff-stats")).toHaveText("1 line(s) removed, 1 added.");
  // Side by side: narrow line numbers, the two texts sharing the width.
  const cells = diff.locator('tr[data-kind="changed"]').first().locator("td");
  const widths = await cells.evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().width));
  expect(widths[0]).toBeLessThan(70);
  expect(widths[1]).toBeGreaterThan(4 * widths[0]!);
  expect(Math.abs(widths[1]! - widths[3]!)).toBeLessThan(4);
  await page.screenshot({ path: `${SHOTS}-2-diff.png` });
  await diff.getByRole("button", { name: "← Back to versions" }).click();

  await page.getByRole("dialog", { name: "Versions" }).getByRole("button", { name: "Roll back to v1" }).click();
  await expect(page.getByRole("dialog", { name: "Versions" }).getByTestId("version-1")).toContainText("live");
  // The header follows: v1 runs, and no stale "Published v2." is left beside it.
  await expect(page.getByTestId("flow-state")).toContainText("v1 live");
  await expect(page.getByTestId("publish-notice")).toHaveText("Rolled back: v1 runs again.");
  await page.screenshot({ path: `${SHOTS}-3-rolled-back.png` });
  const after = await callIncoming(request, "vendor-master", vendor());
  expect(after).toMatchObject({ status: 200, body: { message: "Record saved successfully" } });

  // The draft is v1 again: the designer reloads it, and Publish has nothing new to ship.
  await page.getByRole("dialog", { name: "Versions" }).getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("flow-state")).toContainText("v1 live");
  // The canvas remounts with the reloaded draft: read its box and click until the flow settings open.
  await expect(async () => {
    await pane.click({ position: { x: (await pane.boundingBox())!.width - 15, y: 15 }, timeout: 2_000 });
    await expect(page.getByLabel("message for SUCCESS")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByLabel("message for SUCCESS")).toHaveValue("Record saved successfully");
  await page.getByRole("button", { name: "Publish…" }).click();
  const nothing = page.getByRole("dialog", { name: "Nothing to publish" });
  await expect(nothing.getByTestId("nothing-to-publish")).toContainText("The draft is the same as v1, which runs now.");
  await expect(page.getByRole("button", { name: /Publish v\d/ })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}-4-nothing-to-publish.png` });
  await nothing.getByRole("button", { name: "OK" }).click();
  // Nor a draft row among the versions.
  await page.getByRole("button", { name: "Versions" }).click();
  await expect(page.getByRole("dialog", { name: "Versions" }).getByTestId("version-1")).toContainText("live");
  await expect(page.getByRole("dialog", { name: "Versions" }).getByTestId("version-draft")).toHaveCount(0);
  await page.getByRole("dialog", { name: "Versions" }).getByRole("button", { name: "Close" }).click();
  // One edit later the draft differs again: Publish offers v3 and the draft is listed.
  await pane.click({ position: { x: (await pane.boundingBox())!.width - 15, y: 15 } });
  await page.getByLabel("message for SUCCESS").fill("Vendor registered (v3)");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
  await page.getByRole("button", { name: "Versions" }).click();
  await expect(page.getByRole("dialog", { name: "Versions" }).getByTestId("version-draft")).toBeVisible();
  await page.getByRole("dialog", { name: "Versions" }).getByRole("button", { name: "Close" }).click();
  await page.getByRole("button", { name: "Publish…" }).click();
  await expect(page.getByRole("button", { name: "Publish v3" })).toBeEnabled();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByLabel("message for SUCCESS").fill("Record saved successfully");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
  await page.goto("/flows");
  await expect(page.getByTestId("flow-row-vendor-master")).not.toContainText("draft changes");
});
