/**
 * Two people editing the same draft: the second one's autosave is refused and they see who saved,
 * then load that version — nobody's work is silently overwritten.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers/sign-in";

test.setTimeout(180_000);

test("a second editor of the same draft is warned instead of overwriting it", async ({ browser }) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [first, second] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  await signIn(first, "admin");
  await signIn(second, "analyst");
  for (const page of [first, second]) {
    await page.goto("/flows/lead-enquiry");
    await expect(page.getByLabel("Flow name")).toBeVisible();
  }

  await first.getByLabel("Description").fill("Leads from the website form (edited by the admin)");
  await expect(first.getByTestId("save-status")).toHaveAttribute("data-state", "saved");

  await second.getByLabel("Flow name").fill("Lead enquiry (analyst's copy)");
  const banner = second.getByTestId("draft-conflict");
  await expect(banner).toContainText("Someone else changed this draft");
  await expect(banner).toContainText(/saved by Admin/);
  await expect(second.getByTestId("save-status")).toHaveAttribute("data-state", "conflict");
  await second.screenshot({ path: "test-results/designer-conflict-warning.png" });

  await banner.getByRole("button", { name: "Load their version" }).click();
  await expect(second.getByTestId("draft-conflict")).toHaveCount(0);
  await expect(second.getByLabel("Description")).toHaveValue("Leads from the website form (edited by the admin)");
  await expect(second.getByLabel("Flow name")).toHaveValue("Lead and enquiry entry");
  for (const context of contexts) await context.close();
});
