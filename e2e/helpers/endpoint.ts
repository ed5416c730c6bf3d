/** Calling a published incoming endpoint the way an external system does, with the demo client's key. */
import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

export function demoApiKey(): string {
  const file = path.join(process.env.E2E_DATA_DIR!, "demo-credentials.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { apiKey: string }).apiKey;
}

/** A GSTIN of the right shape that no earlier call used (the vendor flows refuse duplicates). */
export function freshGstin(): string {
  const digits = String(Math.floor(Math.random() * 10_000)).padStart(4, "0");
  return `27ABCDE${digits}F1Z5`;
}

export async function callIncoming(request: APIRequestContext, slug: string, body: unknown) {
  const response = await request.post(`/api/v1/integration/incoming/${slug}`, {
    headers: { "x-api-key": demoApiKey(), "content-type": "application/json" },
    data: body,
  });
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
}
