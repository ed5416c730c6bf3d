import { getDatabase } from "@/server/db/client";
import { env } from "@/server/env";
import { openApiForPublishedFlows } from "@/server/incoming/openapi";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 contract of the published incoming endpoints, as they run now. */
export async function GET() {
  const document = await openApiForPublishedFlows((await getDatabase()).sql, env().publicUrl);
  // Publishing or deactivating a flow changes the contract at once: never cached.
  return Response.json(document, { headers: { "cache-control": "no-store" } });
}
