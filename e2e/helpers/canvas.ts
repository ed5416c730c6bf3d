import { expect, type Page } from "@playwright/test";

/**
 * Selects a node on the canvas as a user would: when it is out of view (the canvas centres the node
 * being edited at a readable zoom, so the rest of a long flow can be off to the side), zoom to fit
 * first, then click it.
 */
export async function selectNode(page: Page, id: string): Promise<void> {
  const card = page.getByTestId(`rf__node-${id}`);
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  const box = await card.boundingBox();
  const inView = box && box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width && box.y + box.height <= canvas.y + canvas.height;
  if (!inView) {
    await page.getByRole("button", { name: "Zoom to fit" }).click();
    await expect(card).toBeInViewport();
    // The fit animates (250 ms): click where the card ends up.
    await page.waitForTimeout(400);
  }
  await card.click();
}
