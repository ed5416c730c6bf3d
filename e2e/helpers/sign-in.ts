/**
 * Signing in for browser journeys. The admin is the one the first start created
 * (its password is in the run's data dir); other roles are created once per run
 * through the real CLI, attached to the running app's embedded PostgreSQL.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import type { Role } from "../../server/auth/permissions";

const E2E_PASSWORD = "e2e-password-123";

function dataDir(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("E2E_DATA_DIR is not set (playwright.config.ts sets it)");
  return dir;
}

export function adminCredentials(): { email: string; password: string } {
  const file = path.join(dataDir(), "demo-credentials.json");
  const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { adminEmail: string; adminPassword: string };
  return { email: saved.adminEmail, password: saved.adminPassword };
}

/** Runs `flowport …` against the running app's database; returns stdout. */
export function flowportCli(args: string[]): string {
  return execFileSync(process.execPath, ["bin/flowport.js", ...args], {
    env: { ...process.env, FLOWPORT_DATA_DIR: dataDir(), DATABASE_URL: "", LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
}

const created = new Set<Role>();

export function credentialsFor(role: Role): { email: string; password: string } {
  if (role === "admin") return adminCredentials();
  const email = `${role}@flowport.local`;
  if (!created.has(role)) {
    const listed = JSON.parse(flowportCli(["users", "list", "--json"])) as { users: { email: string }[] };
    if (!listed.users.some((u) => u.email === email)) {
      flowportCli(["users", "create", "--email", email, "--role", role, "--password", E2E_PASSWORD, "--json"]);
    }
    created.add(role);
  }
  return { email, password: E2E_PASSWORD };
}

export async function signIn(page: Page, role: Role = "admin"): Promise<void> {
  const { email, password } = credentialsFor(role);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A first sign-in compiles and warms the console: slow on a busy machine.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible({ timeout: 20_000 });
}
