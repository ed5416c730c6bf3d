/**
 * Pasting as a user does: the text goes on the system clipboard and Ctrl+V (⌘V) pastes it into the
 * focused element, through the browser's paste event. (`keyboard.insertText` is not a paste: Monaco
 * receives it as typing, character by character, with auto-closing and auto-indent.)
 */
import type { Page } from "@playwright/test";

export async function pasteText(page: Page, text: string): Promise<void> {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("ControlOrMeta+V");
}
