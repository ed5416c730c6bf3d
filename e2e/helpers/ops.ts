/**
 * For the operations journeys: a direct line to the running app's embedded PostgreSQL (to check
 * what the screens claim), a local receiver standing in for the accounting system, and issuing an
 * API key on the API Clients page as an admin does.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";

/** The e2e app's database, from its data dir (password file and postmaster.pid). */
export function appDatabase() {
  const dir = process.env.E2E_DATA_DIR!;
  const { password } = JSON.parse(fs.readFileSync(path.join(dir, "embedded-postgres.json"), "utf8")) as { password: string };
  const port = Number(fs.readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]);
  return postgres(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/flowport`, { max: 2, onnotice: () => undefined });
}

export interface Receiver {
  url: string;
  /** "fail": 500 to everything; "ok": 201 with a reference id. */
  mode: "fail" | "ok";
  bodies: unknown[];
  close(): Promise<void>;
}

export async function startReceiver(referenceId: string): Promise<Receiver> {
  const receiver: Receiver = { url: "", mode: "fail", bodies: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      try {
        receiver.bodies.push(JSON.parse(text));
      } catch {
        receiver.bodies.push(text);
      }
      res.setHeader("content-type", "application/json");
      if (receiver.mode === "fail") {
        res.statusCode = 500;
        res.end(JSON.stringify({ status: "error", message: "accounting is down" }));
      } else {
        res.statusCode = 201;
        res.end(JSON.stringify({ status: "success", referenceId }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

/**
 * Creates an API client on the API Clients page (every flow in scope: a new client starts with
 * none, so "All incoming flows" is ticked) and returns its first key,
 * read from the "shown once" panel, which is left open for the caller (copy, dismiss).
 */
export async function issueApiKey(page: Page, name: string, description: string): Promise<{ key: string; shownOnce: Locator }> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Clients" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API Clients" })).toBeVisible();
  await page.getByRole("button", { name: "New API client" }).click();
  const form = page.getByRole("form", { name: "New API client" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Description").fill(description);
  const all = form.getByLabel("All incoming flows");
  await expect(all).not.toBeChecked();
  await expect(form.getByRole("checkbox", { name: "Vendor master (vendor-master)", exact: true })).not.toBeChecked();
  await page.screenshot({ path: `test-results/new-api-client-${name}.png`, fullPage: true });
  await all.check();
  await form.getByRole("button", { name: "Create and issue" }).click();
  const shownOnce = page.getByRole("status", { name: "Shown once" });
  await expect(shownOnce).toContainText("will not be shown again");
  const key = (await shownOnce.locator("code").first().textContent())!.trim();
  expect(key).toMatch(/^fpk_/);
  return { key, shownOnce };
}
