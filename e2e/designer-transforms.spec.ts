/**
 * The mapper's transforms beyond trim and case, in the browser: an analyst walks date format,
 * concatenate, default value, lookup in a master, constant and custom JSONata on a goods receipt,
 * and each changes the live preview (and the JSONata) as it should.
 */
import { expect, test, type Page } from "@playwright/test";
import { pasteText } from "./helpers/clipboard";
import { signIn } from "./helpers/sign-in";

const SHOTS = "test-results/designer-transforms";

test.use({ viewport: { width: 1700, height: 1100 } });

async function createFromExample(page: Page) {
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).click();
  const dialog = page.getByRole("dialog", { name: "New flow" });
  await dialog.getByRole("button", { name: /From an example/ }).click();
  await dialog.getByLabel("Example").selectOption("material-receipt");
  await dialog.getByLabel("Name").fill("Receipt transforms");
  await dialog.getByRole("button", { name: "Create and open" }).click();
  await expect(page).toHaveURL(/\/flows\/receipt-transforms$/);
}

test("date format, concatenate, default, lookup, constant and custom JSONata each change the preview", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, "analyst");
  await createFromExample(page);
  await page.getByTestId("rf__node-map").click();
  const editor = page.getByTestId("map-node-editor");
  const preview = page.getByTestId("mapper-preview");
  const target = (name: string) => editor.getByTestId(`target-${name}`);
  await expect(preview).toContainText('"Receipt_Date": "2025-12-12"');
  await expect(preview).toContainText('"Item_Code": "CEM-OPC53"');

  // Date format: the ISO date written with a picture, the default one first.
  await editor.getByTestId("transform-Receipt_Date").selectOption("formatDate");
  await expect(preview).toContainText('"Receipt_Date": "12/12/2025"');
  await target("Receipt_Date").getByLabel("Date picture for Receipt_Date").fill("DD-MM-YYYY");
  await expect(preview).toContainText('"Receipt_Date": "12-12-2025"');
  await expect(editor.getByTestId("preview-Receipt_Date")).toContainText('"12-12-2025"');

  // Concatenate: the reference, a separator and the PO number.
  await editor.getByTestId("transform-GRN_Ref").selectOption("concat");
  // The sample's GRN reference is generated ("SITE-A/GRN/{{unique}}"): the preview shows a stand-in for it.
  await expect(preview).toContainText(/"GRN_Ref": "SITE-A\/GRN\/[A-Z0-9]+ "/);
  await target("GRN_Ref").getByRole("button", { name: "+ field" }).click();
  await target("GRN_Ref").getByLabel("Part 3 of GRN_Ref").selectOption("poNumber");
  await target("GRN_Ref").getByLabel("Part 2 of GRN_Ref").fill(" / ");
  await expect(preview).toContainText(/"GRN_Ref": "SITE-A\/GRN\/[A-Z0-9]+ \/ PO-20431"/);
  await page.screenshot({ path: `${SHOTS}-1-date-concat.png`, fullPage: true });

  // Default value: used when the sample has no warehouse.
  await editor.getByTestId("transform-Warehouse").selectOption("default");
  await target("Warehouse").getByLabel("Default value for Warehouse").fill('"Main store"');
  await expect(preview).toContainText('"Warehouse": "Site-A"');
  const sampleEditor = page.getByTestId("test-panel").locator(".monaco-editor").first();
  await expect(sampleEditor).toBeVisible({ timeout: 30_000 });
  await sampleEditor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await pasteText(page, JSON.stringify({ grnRef: "SITE-A/GRN/0091", poNumber: "PO-20431", vendorGst: "27AAFCS1234M1Z9", itemCode: "cem-opc53", quantity: 400, receivedDate: "2025-12-12", city: "Pune" }, null, 2));
  await expect(preview).toContainText('"Warehouse": "Main store"');
  await page.screenshot({ path: `${SHOTS}-2-default.png`, fullPage: true });

  // Lookup in a master: the value is replaced by what the ERP's master holds for it, in the live
  // preview too (it reads a snapshot of the masters). No city is called CEM-OPC53: the field is left out.
  await editor.getByTestId("transform-Item_Code").selectOption("lookup");
  await expect(target("Item_Code").getByLabel("Master for Item_Code", { exact: true })).toHaveValue("City");
  await expect(target("Item_Code").getByLabel("Field of the master for Item_Code")).toHaveValue("State");
  await expect(preview).not.toContainText('"Item_Code"');
  await expect(preview).not.toContainText("reads the ERP");
  // The sample's city dropped on the row keeps its lookup: Pune's state, from the seeded City master.
  await editor.getByTestId("source-city").dragTo(target("Item_Code"));
  await expect(preview).toContainText('"Item_Code": "Maharashtra"');
  await target("Item_Code").getByLabel("Field of the master for Item_Code").selectOption("Name");
  await expect(preview).toContainText('"Item_Code": "Pune"');
  await page.screenshot({ path: `${SHOTS}-3-lookup.png`, fullPage: true });

  // Constant: the same text whatever the request says.
  await editor.getByTestId("transform-Warehouse").selectOption("constant");
  await target("Warehouse").getByLabel("Constant for Warehouse").fill("Central store");
  await expect(preview).toContainText('"Warehouse": "Central store"');

  // Custom JSONata: any expression over the request.
  await editor.getByTestId("transform-Quantity").selectOption("custom");
  const custom = target("Quantity").getByLabel("JSONata for Quantity");
  await custom.fill("quantity * 2");
  await custom.press("Enter");
  await expect(preview).toContainText('"Quantity": 800');
  await page.screenshot({ path: `${SHOTS}-4-constant-custom.png`, fullPage: true });

  // The JSONata view holds every one of them.
  await editor.getByRole("tab", { name: "JSONata" }).click();
  const code = page.getByTestId("jsonata-editor");
  await expect(code).toContainText('"Quantity": quantity * 2');
  await expect(code).toContainText('"Warehouse": "Central store"');
  await expect(code).toContainText("$lookup");
  await expect(code).toContainText("DD-MM-YYYY");
  await expect(code).toContainText("poNumber");
});
