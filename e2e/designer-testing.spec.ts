/**
 * Testing in the designer: an analyst loads a sample from a request the endpoint logged, renames it
 * and deletes it; mapping validation lists each problem with its node and field, and "Show" takes
 * the analyst to that node and field (a mapper target row, or a field of the node's form).
 */
import { expect, test } from "@playwright/test";
import { callIncoming } from "./helpers/endpoint";
import { signIn } from "./helpers/sign-in";
import { selectNode } from "./helpers/canvas";

const SHOTS = "test-results/designer-testing";

test.use({ viewport: { width: 1600, height: 1000 } });

test("samples from the log, renamed and deleted; mapping validation points at node and field", async ({ page, request }) => {
  test.setTimeout(240_000);
  // A real call to the published endpoint, with a reference no other run uses.
  const grnRef = `SITE-E2E/GRN/${Date.now()}`;
  const body = { grnRef, poNumber: "PO-20431", vendorGst: "27AAFCS1234M1Z9", itemCode: "cem-opc53", quantity: 12, receivedDate: "2025-12-12", warehouse: "Site-E2E" };
  const answer = await callIncoming(request, "material-receipt", body);
  expect(answer.status).toBeLessThan(500);

  await signIn(page, "analyst");
  await page.goto("/flows/material-receipt");
  const panel = page.getByTestId("test-panel");
  const samples = panel.getByRole("list", { name: "Samples" });
  const selectedSample = samples.getByRole("listitem").filter({ has: page.getByRole("button", { pressed: true }) });
  await expect(samples.getByRole("listitem")).toHaveCount(3);

  // Load it from the log: the newest logged request, as a new sample, selected.
  await panel.getByRole("button", { name: "Load from a logged request…" }).click();
  const logged = panel.getByRole("list", { name: "Logged requests" });
  await expect(logged.getByRole("button").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-1-log.png` });
  await logged.getByRole("button").first().click();
  await expect(samples.getByRole("listitem")).toHaveCount(4);
  const loaded = selectedSample;
  await expect(loaded).toContainText(/^Logged (success|failed|rejected)/i);
  await panel.getByRole("tab", { name: "Parse preview" }).click();
  await expect(panel.getByTestId("parse-preview")).toContainText(grnRef);
  await expect(panel.getByTestId("parse-preview")).toContainText("Site-E2E");

  // Rename it.
  const loadedName = (await loaded.locator(".sample-name").innerText()).trim();
  await panel.getByRole("button", { name: `Rename ${loadedName}` }).click();
  await panel.getByLabel(`New name for ${loadedName}`).fill("Site E2E receipt");
  await page.keyboard.press("Enter");
  await expect(selectedSample).toContainText("Site E2E receipt");
  await expect(samples.getByRole("button", { name: new RegExp(`^${loadedName}`) })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}-2-renamed.png` });

  // Delete it (after confirming): another sample is selected instead.
  page.once("dialog", (dialog) => void dialog.accept());
  await panel.getByRole("button", { name: "Delete Site E2E receipt" }).click();
  await expect(samples.getByRole("listitem")).toHaveCount(3);
  await expect(samples.getByText("Site E2E receipt")).toHaveCount(0);
  await expect(selectedSample).toHaveCount(1);

  // Break two things: an unmapped required target, an expression that does not parse in another node.
  await panel.getByRole("tab", { name: "Mapping validation" }).click();
  await selectNode(page, "map");
  await page.getByTestId("map-node-editor").getByRole("button", { name: "Remove the mapping of GRN_Ref" }).click();
  await selectNode(page, "vendor");
  await page.getByLabel("Key expression").fill("vendorGst &");
  const issues = panel.getByTestId("validation-list");
  const unmapped = issues.locator('li[data-node="map"][data-field="GRN_Ref"]');
  await expect(unmapped).toContainText("REQUIRED_TARGET_UNMAPPED");
  await expect(unmapped).toContainText("Map to GRN › GRN_Ref");
  const syntax = issues.locator('li[data-node="vendor"][data-field="key"]');
  await expect(syntax).toContainText("EXPRESSION_SYNTAX");
  await expect(syntax).toContainText("Find vendor by GSTIN › key");
  await page.screenshot({ path: `${SHOTS}-3-issues.png` });

  // "Show" selects the node and lands on the field: the mapper's target row…
  const pane = page.getByTestId("canvas").locator(".react-flow__pane");
  const paneBox = (await pane.boundingBox())!;
  await pane.click({ position: { x: paneBox.width - 15, y: 15 } });
  await expect(page.getByTestId("map-node-editor")).toHaveCount(0);
  await unmapped.getByRole("button", { name: "Show GRN_Ref of Map to GRN" }).click();
  await expect(page.getByTestId("rf__node-map")).toHaveClass(/selected/);
  const target = page.getByTestId("map-node-editor").getByTestId("target-GRN_Ref");
  await expect(target).toHaveAttribute("data-highlight", "true");
  await expect(target).toBeInViewport();
  await page.screenshot({ path: `${SHOTS}-4-shown-target.png` });
  // …or the form field of another node, focused.
  await syntax.getByRole("button", { name: "Show key of Find vendor by GSTIN" }).click();
  await expect(page.getByTestId("rf__node-vendor")).toHaveClass(/selected/);
  await expect(page.getByLabel("Key expression")).toBeFocused();
  await page.screenshot({ path: `${SHOTS}-5-shown-field.png` });
});
