import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Selects a node on the canvas as a user would: when it cannot be clicked where it is (out of view,
 * since the canvas centres the node being edited at a readable zoom; or under the wide inspector
 * sheet, which lies over the canvas's right side), zoom to fit first (the fit leaves the sheet's part
 * out), then click it once it has stopped moving. The click is repeated until the card shows as
 * selected: on a busy machine a click during the fit's animation, or while the canvas re-renders
 * after a dry run, can land beside the card.
 */
export async function selectNode(page: Page, id: string): Promise<void> {
  const card = page.getByTestId(`rf__node-${id}`);
  await expect(async () => {
    if (!(await reachable(card))) {
      await page.getByRole("button", { name: "Zoom to fit" }).click();
      await stoppedMoving(card);
      expect(await reachable(card), `${id}: still covered or out of view after Zoom to fit`).toBe(true);
    }
    await stoppedMoving(card);
    await card.click({ timeout: 2_000 });
    await expect(card).toHaveClass(/\bselected\b/, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** Whether a click on the card's middle reaches the card: inside the window and under nothing else. */
async function reachable(card: Locator): Promise<boolean> {
  return card.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit !== null && el.contains(hit);
  });
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
