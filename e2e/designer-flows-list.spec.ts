/**
 * The flows list: an analyst creates a flow (blank, outgoing), duplicates a shipped flow under a new
 * name, exports the copy as a file and imports that file back as a new flow beside it — its endpoint
 * slug following the new slug — and sees a broken file explained before anything is sent.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parseFlow } from "../flows/format";
import { signIn } from "./helpers/sign-in";

const SHOTS = "test-results/designer-flows-list";

async function openList(page: Page) {
  await page.goto("/flows");
  await expect(page.getByRole("heading", { level: 1, name: "Flows" })).toBeVisible();
}

test("create, duplicate, export and import a flow from the flows list", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "analyst");
  await openList(page);

  // A blank outgoing flow: its palette offers outgoing nodes only.
  await page.getByRole("button", { name: "New flow" }).click();
  const create = page.getByRole("dialog", { name: "New flow" });
  await create.getByLabel("Direction").selectOption("outgoing");
  await create.getByLabel("Name").fill("Nightly GRN export");
  await expect(create.getByLabel("Slug")).toHaveValue("nightly-grn-export");
  await page.screenshot({ path: `${SHOTS}-1-new.png` });
  await create.getByRole("button", { name: "Create and open" }).click();
  await expect(page).toHaveURL(/\/flows\/nightly-grn-export$/);
  await expect(page.getByTestId("palette-send")).toBeVisible();
  await expect(page.getByTestId("palette-trigger.http")).toHaveCount(0);

  // Duplicate the vendor flow: the dialog proposes a copy; the analyst names it.
  await openList(page);
  await expect(page.getByTestId("flow-row-nightly-grn-export")).toContainText("unpublished");
  await page.getByTestId("flow-row-vendor-master").getByRole("button", { name: "Duplicate" }).click();
  const duplicate = page.getByRole("dialog", { name: "Duplicate “Vendor master”" });
  await expect(duplicate.getByLabel("Name")).toHaveValue("Vendor master (copy)");
  await expect(duplicate.getByLabel("Slug")).toHaveValue("vendor-master-copy");
  await duplicate.getByLabel("Name").fill("Vendor master Pune");
  await duplicate.getByLabel("Slug").fill("vendor-master-pune");
  await duplicate.getByRole("button", { name: "Duplicate and open" }).click();
  await expect(page).toHaveURL(/\/flows\/vendor-master-pune$/);
  await expect(page.locator(".react-flow__node")).toHaveCount(6);
  await expect(page.locator(".react-flow__edge")).toHaveCount(5);
  await page.getByTestId("rf__node-trigger").click();
  await expect(page.getByLabel("Endpoint slug")).toHaveValue("vendor-master-pune");

  // Export the copy from the list: a flow file of the same flow.
  await openList(page);
  const row = page.getByTestId("flow-row-vendor-master-pune");
  await expect(row).toContainText("Vendor master Pune");
  await expect(row).toContainText("unpublished");
  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: "Export" }).click()]);
  expect(download.suggestedFilename()).toBe("vendor-master-pune.flow.json");
  const file = test.info().outputPath("vendor-master-pune.flow.json");
  await download.saveAs(file);
  const exported = parseFlow(JSON.parse(fs.readFileSync(file, "utf8")));
  expect(exported).toMatchObject({ slug: "vendor-master-pune", name: "Vendor master Pune", direction: "incoming" });
  expect(exported.nodes).toHaveLength(6);

  // A broken file is explained in the dialog; nothing is sent.
  await page.getByRole("button", { name: "Import file…" }).click();
  const importer = page.getByRole("dialog", { name: "Import a flow file" });
  await importer.getByLabel("Flow file").setInputFiles({ name: "broken.flow.json", mimeType: "application/json", buffer: Buffer.from('{"formatVersion": 1, "slug": "Bad Slug"}') });
  await expect(importer.getByRole("alert")).toContainText("This is not a valid flow file");
  await expect(importer.getByRole("button", { name: "Import as a new flow" })).toBeDisabled();

  // Import the exported file back: its slug is taken, so it is offered a free one, as a new flow.
  await importer.getByLabel("Flow file").setInputFiles(file);
  await expect(importer).toContainText("Vendor master Pune (incoming, 6 nodes, slug vendor-master-pune)");
  await expect(importer.getByLabel("Slug")).toHaveValue("vendor-master-pune-2");
  await expect(importer.getByLabel("Name")).toHaveValue("Vendor master Pune (2)");
  await expect(importer.getByRole("checkbox")).not.toBeChecked();
  // A slug that exists is refused before sending.
  await importer.getByLabel("Slug").fill("vendor-master");
  await expect(importer.getByRole("alert")).toContainText("A flow “vendor-master” exists");
  await expect(importer.getByRole("button", { name: "Import as a new flow" })).toBeDisabled();
  await importer.getByLabel("Slug").fill("vendor-master-pune-imported");
  await importer.getByLabel("Name").fill("Vendor master Pune (imported)");
  await page.screenshot({ path: `${SHOTS}-2-import.png` });
  await importer.getByRole("button", { name: "Import as a new flow" }).click();
  await expect(page).toHaveURL(/\/flows\/vendor-master-pune-imported$/);
  await expect(page.locator(".react-flow__node")).toHaveCount(6);
  await page.getByTestId("rf__node-trigger").click();
  await expect(page.getByLabel("Endpoint slug")).toHaveValue("vendor-master-pune-imported");

  // Both copies are listed beside the original, which is untouched.
  await openList(page);
  await expect(page.getByTestId("flow-row-vendor-master-pune-imported")).toContainText("Vendor master Pune (imported)");
  await expect(page.getByTestId("flow-row-vendor-master-pune")).toContainText("Vendor master Pune");
  await expect(page.getByTestId("flow-row-vendor-master")).toContainText("Vendor master");
  await page.screenshot({ path: `${SHOTS}-3-listed.png`, fullPage: true });
});
