/**
 * The dashboard's figures, from the execution log: per hour, incoming requests and outgoing
 * delivery attempts, errors and the 95th percentile duration; per flow, totals, error rate and
 * p95; and the most frequent error codes. Dry runs and replays are operator actions, not
 * traffic: left out. Calls to endpoints that do not exist (any path a caller made up, however
 * long) are one group, never a "flow" each (issue 17). The time range keeps the scan to one or two monthly partitions.
 */
import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";

export const dashboardInputSchema = z.object({
  range: z.enum(["24h", "7d"]).default("24h"),
  flowSlug: z.string().trim().min(1).max(200).optional(),
});
export type DashboardInput = z.infer<typeof dashboardInputSchema>;

export interface HourBucket {
  /** Start of the hour (ISO). */
  hour: string;
  incoming: number;
  outgoing: number;
  errors: number;
  /** Share of executions in the hour that did not succeed, 0..1. */
  errorRate: number;
  p95Ms: number | null;
}

export interface FlowFigures {
  flowSlug: string;
  direction: "incoming" | "outgoing";
  total: number;
  errors: number;
  errorRate: number;
  p95Ms: number | null;
}

export interface Dashboard {
  range: "24h" | "7d";
  from: string;
  to: string;
  hours: HourBucket[];
  flows: FlowFigures[];
  topErrors: { errorCode: string; count: number }[];
  /** Calls answered ENDPOINT_NOT_FOUND: how many, to how many distinct paths. */
  unknownEndpoints: { calls: number; paths: number; p95Ms: number | null };
  totals: { incoming: number; outgoing: number; errors: number; errorRate: number; p95Ms: number | null };
}

const HOURS = { "24h": 24, "7d": 168 } as const;

const rate = (errors: number, total: number) => (total === 0 ? 0 : errors / total);
const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export async function getDashboard(sql: Queryable, input: DashboardInput): Promise<Dashboard> {
  const hours = HOURS[input.range];
  const to = new Date();
  to.setUTCMinutes(0, 0, 0);
  to.setUTCHours(to.getUTCHours() + 1); // through the end of the current hour
  const from = new Date(to.getTime() - hours * 3_600_000);
  const where = sql`started_at >= ${from} and started_at < ${to} and mode = 'live'
    ${input.flowSlug ? sql`and flow_slug = ${input.flowSlug}` : sql``}`;

  // An unknown endpoint's call names no flow (flow_id is null) and is answered ENDPOINT_NOT_FOUND.
  const unknownEndpoint = sql`error_code = 'ENDPOINT_NOT_FOUND' and flow_id is null`;

  const [byHour, byFlow, topErrors, [totals], [unknown]] = await Promise.all([
    sql<{ hour: Date; incoming: number; outgoing: number; errors: number; p95: number | null }[]>`
      select date_trunc('hour', started_at) as hour,
        count(*) filter (where direction = 'incoming')::int as incoming,
        count(*) filter (where direction = 'outgoing')::int as outgoing,
        count(*) filter (where status <> 'SUCCESS')::int as errors,
        percentile_cont(0.95) within group (order by duration_ms) as p95
      from executions where ${where} group by 1 order by 1`,
    sql<{ flow_slug: string; direction: "incoming" | "outgoing"; total: number; errors: number; p95: number | null }[]>`
      select coalesce(flow_slug, '(no flow)') as flow_slug, direction, count(*)::int as total,
        count(*) filter (where status <> 'SUCCESS')::int as errors,
        percentile_cont(0.95) within group (order by duration_ms) as p95
      from executions where ${where} and (${unknownEndpoint}) is not true group by 1, 2 order by total desc limit 50`,
    sql<{ error_code: string; count: number }[]>`
      select error_code, count(*)::int as count from executions
      where ${where} and error_code is not null group by 1 order by 2 desc, 1 limit 10`,
    sql<{ incoming: number; outgoing: number; errors: number; p95: number | null }[]>`
      select count(*) filter (where direction = 'incoming')::int as incoming,
        count(*) filter (where direction = 'outgoing')::int as outgoing,
        count(*) filter (where status <> 'SUCCESS')::int as errors,
        percentile_cont(0.95) within group (order by duration_ms) as p95
      from executions where ${where}`,
    sql<{ calls: number; paths: number; p95: number | null }[]>`
      select count(*)::int as calls, count(distinct flow_slug)::int as paths,
        percentile_cont(0.95) within group (order by duration_ms) as p95
      from executions where ${where} and ${unknownEndpoint}`,
  ]);

  // Every hour of the range, empty ones included, so the charts' time axis is even.
  const found = new Map(byHour.map((h) => [h.hour.getTime(), h]));
  const buckets: HourBucket[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 3_600_000) {
    const h = found.get(t);
    const total = (h?.incoming ?? 0) + (h?.outgoing ?? 0);
    buckets.push({
      hour: new Date(t).toISOString(),
      incoming: h?.incoming ?? 0,
      outgoing: h?.outgoing ?? 0,
      errors: h?.errors ?? 0,
      errorRate: rate(h?.errors ?? 0, total),
      p95Ms: round(h?.p95 ?? null),
    });
  }
  const t = totals!;
  return {
    range: input.range,
    from: from.toISOString(),
    to: to.toISOString(),
    hours: buckets,
    flows: byFlow.map((f) => ({ flowSlug: f.flow_slug, direction: f.direction, total: f.total, errors: f.errors, errorRate: rate(f.errors, f.total), p95Ms: round(f.p95) })),
    topErrors: topErrors.map((e) => ({ errorCode: e.error_code, count: e.count })),
    unknownEndpoints: { calls: unknown!.calls, paths: unknown!.paths, p95Ms: round(unknown!.p95) },
    totals: { incoming: t.incoming, outgoing: t.outgoing, errors: t.errors, errorRate: rate(t.errors, t.incoming + t.outgoing), p95Ms: round(t.p95) },
  };
}
