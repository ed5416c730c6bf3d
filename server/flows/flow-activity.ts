/**
 * What the flows list shows beside each flow: its last live run and today's successes and errors,
 * from the executions log (dry runs and replays do not count). One grouped query over the
 * (flow_slug, started_at) index, limited to today's partition plus each flow's latest row.
 */
import type { Queryable } from "@/server/db/queryable";

export interface FlowActivity {
  lastRunAt: Date | null;
  lastStatus: string | null;
  todaySuccess: number;
  todayErrors: number;
}

export async function flowActivity(sql: Queryable): Promise<Map<string, FlowActivity>> {
  const [today, latest] = await Promise.all([
    sql<{ flow_slug: string; success: number; errors: number }[]>`
      select flow_slug, count(*) filter (where status = 'SUCCESS')::int as success,
             count(*) filter (where status <> 'SUCCESS')::int as errors
      from executions
      where mode = 'live' and flow_slug is not null and started_at >= date_trunc('day', now())
      group by flow_slug`,
    sql<{ flow_slug: string; started_at: Date; status: string }[]>`
      select f.slug as flow_slug, e.started_at, e.status
      from flows f
      cross join lateral (
        select started_at, status from executions
        where flow_slug = f.slug and mode = 'live'
        order by started_at desc limit 1
      ) e`,
  ]);
  const activity = new Map<string, FlowActivity>();
  const entry = (slug: string) => {
    let found = activity.get(slug);
    if (!found) activity.set(slug, (found = { lastRunAt: null, lastStatus: null, todaySuccess: 0, todayErrors: 0 }));
    return found;
  };
  for (const row of today) Object.assign(entry(row.flow_slug), { todaySuccess: row.success, todayErrors: row.errors });
  for (const row of latest) Object.assign(entry(row.flow_slug), { lastRunAt: row.started_at, lastStatus: row.status });
  return activity;
}
