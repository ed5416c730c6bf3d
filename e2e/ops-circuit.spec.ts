/**
 * Outgoing: the accounting receiver answers 500 to everything; a few approved invoices fail in a
 * row and the connection's circuit opens; the invoices approved after that are held (no attempts
 * spent). The Connections page shows the open circuit, since when, and the held deliveries (at
 * 1440×900 and 1024×768). Accounting comes back; the admin resumes the connection and everything
 * held is delivered. (It leaves the circuit closed for the journeys after it.)
 */
import { expect, test } from "@playwright/test";
import { appDatabase, startReceiver, type Receiver } from "./helpers/ops";
import { flowportCli, signIn } from "./helpers/sign-in";

let receiver: Receiver;
const sql = appDatabase();
const invoices: string[] = [];

function approveInvoice(i: number): string {
  const created = JSON.parse(
    flowportCli(["records", "create", "Invoice", "--json", "--data", JSON.stringify({ Invoice_No: `INV/CB/${Date.now()}-${i}`, Invoice_Date: "2025-12-20", Total_Amount: 1000 + i, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102", GST_No: "27ABCDE1234F1Z5" })]),
  ) as { record: { recordId: string } };
  flowportCli(["records", "transition", "Invoice", created.record.recordId, "approved", "--json"]);
  return created.record.recordId;
}

test.beforeAll(async () => {
  receiver = await startReceiver("ACC-CIRCUIT");
  flowportCli(["connections", "set", "accounting-system", "--url", receiver.url, "--credential", "accounting-api-token", "--allow-private", "--json"]);
});

test.afterAll(async () => {
  await receiver?.close();
  await sql.end({ timeout: 5 });
});

const circuitState = async () =>
  (await sql<{ state: string }[]>`select state from connection_circuits where connection_name = 'accounting-system'`)[0]?.state ?? "closed";
const heldCount = async () =>
  (await sql<{ n: number }[]>`select count(*)::int as n from deliveries where connection_name = 'accounting-system' and status = 'pending' and held_since is not null`)[0]!.n;

test("an open circuit and its held deliveries on the Connections page; resuming delivers them", async ({ page }) => {
  test.setTimeout(150_000);
  // Three invoices, each retried on failure: five 500s in a row open the circuit.
  for (let i = 0; i < 3; i++) invoices.push(approveInvoice(i));
  await expect.poll(circuitState, { timeout: 60_000, intervals: [500] }).toMatch(/^(open|half_open)$/);
  // Approved while it is open: held, not sent.
  const sentBefore = receiver.bodies.length;
  for (let i = 3; i < 6; i++) invoices.push(approveInvoice(i));
  await expect.poll(heldCount, { timeout: 30_000, intervals: [500] }).toBeGreaterThanOrEqual(3);
  expect(receiver.bodies.length - sentBefore).toBeLessThanOrEqual(1); // a probe at most

  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Connections/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
  const circuit = page.getByLabel("Circuit accounting-system");
  await expect(circuit).toContainText(/open/);
  await expect(circuit).toContainText(/since/);
  await expect(circuit).toContainText(/\d+ held/);
  const held = page.getByRole("table", { name: "Held deliveries accounting-system" });
  await expect(held).toBeVisible();
  await expect(held).toContainText("Waiting for the circuit of accounting-system");
  await expect(held).toContainText(invoices[4]!);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: "test-results/ops-circuit-open-1440.png", fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: "test-results/ops-circuit-open-1024.png", fullPage: true });

  // Accounting is back; the admin resumes the connection instead of waiting for the next probe.
  receiver.mode = "ok";
  await circuit.getByRole("button", { name: "Resume" }).click();
  await expect(circuit).toContainText("closed");
  await expect(circuit.getByRole("button", { name: "Pause" })).toBeVisible();
  const delivered = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from deliveries where flow_slug = 'invoice-to-accounting' and record_id = any(${invoices}) and status = 'succeeded'`)[0]!.n;
  await expect.poll(delivered, { timeout: 60_000, intervals: [500] }).toBe(invoices.length);
  await expect(held).toBeHidden({ timeout: 15_000 });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: "test-results/ops-circuit-resumed-1440.png", fullPage: true });
  const [audit] = await sql<{ action: string }[]>`select action from audit_log where target = 'accounting-system' and action = 'connection.resumed'`;
  expect(audit).toBeDefined();
});
