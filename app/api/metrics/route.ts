import { metricsResponse } from "@/server/metrics/endpoint";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus metrics, behind FLOWPORT_METRICS_TOKEN (server/metrics/endpoint.ts). */
export function GET(request: Request) {
  return metricsResponse(request);
}
