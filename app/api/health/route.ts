import { getDatabase } from "@/server/db/client";
import { checkHealth } from "@/server/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** 200 when the database answers and a worker beat recently; 503 otherwise. */
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
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
