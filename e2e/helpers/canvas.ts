import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Selects a node on the canvas as a user would: when it is out of view (the canvas centres the node
 * being edited at a readable zoom, so the rest of a long flow can be off to the side), zoom to fit
 * first, then click it once it has stopped moving. The click is repeated until the card shows as
 * selected: on a busy machine a click during the fit's animation, or while the canvas re-renders
 * after a dry run, can land beside the card.
 */
export async function selectNode(page: Page, id: string): Promise<void> {
  const card = page.getByTestId(`rf__node-${id}`);
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  const box = await card.boundingBox();
  const inView = box && box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width && box.y + box.height <= canvas.y + canvas.height;
  if (!inView) {
    await page.getByRole("button", { name: "Zoom to fit" }).click();
    await expect(card).toBeInViewport();
  }
  await expect(async () => {
    await stoppedMoving(card);
    await card.click();
    await expect(card).toHaveClass(/\bselected\b/, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** Resolves once two readings of the card's box, 100 ms apart, agree (the fit animates for 250 ms). */
async function stoppedMoving(card: Locator): Promise<void> {
  let last = "";
  await expect
    .poll(
      async () => {
        const box = await card.boundingBox();
        const now = box ? [box.x, box.y, box.width, box.height].map(Math.round).join(",") : "";
        const same = now !== "" && now === last;
        last = now;
        return same;
      },
      { intervals: [100], timeout: 5_000 },
    )
    .toBe(true);
}
