import { getDatabase } from "@/server/db/client";
import { checkHealth } from "@/server/health";
import { eventLoopLag } from "@/server/metrics/event-loop";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * 200 when the database answers and a worker beat recently; 503 otherwise. `eventLoop` is the lag
 * of the thread answering (server/metrics/event-loop.ts): reported, never a reason for 503.
 */
export async function GET() {
  let report;
  try {
    report = await checkHealth((await getDatabase()).sql);
  } catch (error) {
    report = {
      status: "degraded" as const,
      database: { ok: false, error: (error as Error).message },
      worker: { ok: false, workers: 0 },
      checkedAt: new Date().toISOString(),
    };
  }
  return Response.json({ ...report, eventLoop: eventLoopLag() }, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
