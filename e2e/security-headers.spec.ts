/**
 * Security headers on the built app (issue 15): every console page is sent with a CSP that forbids
 * framing, with X-Frame-Options, nosniff and a Referrer-Policy — and the pages that need the most
 * (sign-in, the designer with its canvas and Monaco editor and workers, the live logs) still work
 * with no CSP violation and no console error. The incoming API answers with nosniff too.
 */
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers/sign-in";

/** Every CSP violation and console error on the page, from now on. */
async function watchViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.exposeFunction("__reportCspViolation", (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return problems;
}

/** Console calls (tRPC procedures, batched or not) the page makes from now on. */
function countConsoleCalls(page: Page): { calls: number } {
  const counter = { calls: 0 };
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/trpc/")) counter.calls += url.pathname.slice("/api/trpc/".length).split(",").length;
  });
  return counter;
}

test("console pages carry the security headers and work under the CSP: sign-in, designer (canvas, Monaco), logs", async ({ page, request }) => {
  test.setTimeout(180_000);
  const problems = await watchViolations(page);

  const signInPage = await page.goto("/sign-in");
  const headers = signInPage!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("default-src 'self'");
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  await signIn(page, "admin");

  // The designer: the canvas draws, Monaco loads with its workers from our own origin.
  const designer = await page.goto("/flows/vendor-master");
  expect(designer!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.locator(".react-flow__node").first()).toBeVisible({ timeout: 30_000 });
  const panel = page.getByTestId("test-panel");
  await panel.getByRole("button", { name: "+ Add" }).click();
  const editor = panel.getByTestId("json-editor").locator(".monaco-editor");
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await editor.locator(".view-lines").click();
  await page.keyboard.type('{"vendorName": "CSP"');
  // The JSON worker answers (a diagnostic or a clean parse): wait a moment for it to run.
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: "test-results/security-headers-designer.png", fullPage: true });

  // The logs page, refreshing itself: what it sends is far under the per-user budget of the
  // console (server/trpc/init.ts: a burst of 120 calls, then 5 a second).
  const counter = countConsoleCalls(page);
  await page.goto("/logs");
  await expect(page.getByRole("table", { name: "Incoming Logs" })).toBeVisible();
  await page.waitForTimeout(11_000);
  console.log(`logs page: ${counter.calls} console calls in its first 11 s`);
  expect(counter.calls).toBeLessThan(40);

  expect(problems).toEqual([]);

  // The page cannot be framed by another site: the browser refuses to render it in a frame.
  const apiAnswer = await request.post("/api/v1/integration/incoming/vendor-master", { data: {} });
  expect(apiAnswer.headers()["x-content-type-options"]).toBe("nosniff");
});
