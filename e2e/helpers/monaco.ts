/**
 * Typing into the console's Monaco JSON editor (app/components/monaco/json-editor.tsx) as a user
 * would: select everything, type the new text. Monaco closes brackets and quotes as you type, so
 * whatever it added after the cursor is removed afterwards.
 */
import { expect, type Locator, type Page } from "@playwright/test";

/** The editor inside `scope` (a dialog, a drawer), once Monaco has loaded. */
export async function monacoJsonEditor(scope: Locator): Promise<Locator> {
  const editor = scope.getByTestId("json-editor").locator(".monaco-editor");
  await expect(editor).toBeVisible({ timeout: 30_000 });
  return editor;
}

/** What the editor shows (its rendered lines, non-breaking spaces as spaces). */
export async function monacoText(editor: Locator): Promise<string> {
  return (await editor.locator(".view-lines").innerText()).replace(/\u00a0/g, " ");
}

export async function replaceMonacoText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
  await page.keyboard.press("ControlOrMeta+Shift+End");
  await page.keyboard.press("Delete");
}
