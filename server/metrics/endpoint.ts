/**
 * GET /api/metrics: Prometheus exposition, for a scraper holding FLOWPORT_METRICS_TOKEN
 * (`Authorization: Bearer <token>`). Without the token configured, every request is refused:
 * metrics name flows and connections, which is not for anyone who can reach the port.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { getSql } from "@/server/db/client";
import { env } from "@/server/env";
import { renderMetrics } from "./registry";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison of the presented bearer token with the configured one. */
export function metricsTokenMatches(authorization: string | null, expected: string | undefined): boolean {
  if (!expected || !authorization) return false;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!.trim()), digest(expected));
}

export async function metricsResponse(request: Request): Promise<Response> {
  if (!metricsTokenMatches(request.headers.get("authorization"), env().FLOWPORT_METRICS_TOKEN)) {
    return Response.json(
      { status: "error", errorCode: "AUTH_FAILED", message: "Send Authorization: Bearer <FLOWPORT_METRICS_TOKEN>" },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" } },
    );
  }
  const { contentType, body } = await renderMetrics(getSql);
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
}
