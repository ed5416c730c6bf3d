/**
 * The sample editor (Monaco, JSON): an analyst adds a sample and pastes a request into it as it comes,
 * without first selecting the `{}` a new sample starts with. The pasted request replaces it — no doubled
 * brackets, no "not valid JSON" — and the parse preview shows its fields. Typing still auto-closes.
 */
import { expect, test, type Page } from "@playwright/test";
import { pasteText } from "./helpers/clipboard";
import { signIn } from "./helpers/sign-in";

const SHOTS = "test-results/designer-samples";
const REQUEST = { vendorName: "Paste Traders", gstNumber: "29ABCDE1234F1Z5", contactPerson: "Asha Rao", mobile: "9876500000", email: "asha@paste.in", city: "Pune", tags: ["new", "south"] };

/** What the Monaco editor shows, as text (Monaco renders spaces as no-break spaces). */
async function editorText(page: Page): Promise<string> {
  const text = await page.getByTestId("test-panel").getByTestId("json-editor").locator(".view-lines").innerText();
  return text.replace(/\u00a0/g, " ");
}

test("a JSON request pasted into a new sample replaces its empty {}", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "analyst");
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).click();
  await page.getByLabel("Name").fill("Paste check");
  await page.getByRole("button", { name: "Create and open" }).click();
  await expect(page).toHaveURL(/\/flows\/paste-check$/);

  const panel = page.getByTestId("test-panel");
  await panel.getByRole("button", { name: "+ Add" }).click();
  const editor = panel.getByTestId("json-editor").locator(".monaco-editor");
  await expect(editor).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => editorText(page)).toBe("{}");

  // Click into the editor (the caret lands after the `}`) and paste, pretty-printed as APIs log it.
  await editor.locator(".view-lines").click();
  await pasteText(page, JSON.stringify(REQUEST, null, 2));
  await expect.poll(async () => JSON.parse(await editorText(page)) as unknown).toEqual(REQUEST);
  await expect(panel.getByText("Not valid JSON yet")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}-1-pasted.png`, fullPage: true });

  await panel.getByRole("tab", { name: "Parse preview" }).click();
  await expect(panel.getByTestId("parse-preview")).toContainText("vendorName");
  await expect(panel.getByTestId("parse-preview")).toContainText('"Paste Traders"');
  await expect(panel.getByTestId("parse-preview")).toContainText("tags[1]");

  // Pasting a member inside the braces is left alone, and typing still closes what it opens.
  await panel.getByRole("tab", { name: "Payload" }).click();
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type("{");
  await expect.poll(() => editorText(page)).toBe("{}");
  await pasteText(page, '"city": "Pune"');
  await expect.poll(() => editorText(page)).toBe('{"city": "Pune"}');
  await expect(panel.getByText("Not valid JSON yet")).toHaveCount(0);
});
