/**
 * Which published flow answers an incoming path. One indexed query per call
 * (published version and active flag, never cached, so publishing or deactivating
 * takes effect on the next request); the compiled plan is cached per version.
 */
import type { FlowFile } from "@/flows/format";
import { getPlan, peekPlan, type ExecutionPlan } from "@/server/engine/compile";
import type { Queryable } from "@/server/records/store";
import { cachedDefaultStatusRules, planWithDefaultStatusRules } from "@/server/settings/status-rules";

export interface IncomingEndpoint {
  flowId: string;
  slug: string;
  version: number;
  versionId: string;
  plan: ExecutionPlan;
}

export async function findIncomingEndpoint(sql: Queryable, slug: string): Promise<IncomingEndpoint | undefined> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return undefined;
  const [row] = await sql<{ flow_id: string; version: number; version_id: string }[]>`
    select f.id as flow_id, v.version, v.id as version_id
    from flows f join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    where f.slug = ${slug} and f.active and f.direction = 'incoming'`;
  if (!row) return undefined;
  let plan = peekPlan(row.version_id);
  if (!plan) {
    const [def] = await sql<{ definition: FlowFile }[]>`select definition from flow_versions where id = ${row.version_id}`;
    plan = getPlan(row.version_id, def!.definition);
  }
  // The installation's return status rules fill in whatever the flow does not override.
  plan = planWithDefaultStatusRules(plan, await cachedDefaultStatusRules(sql));
  return { flowId: row.flow_id, slug, version: row.version, versionId: row.version_id, plan };
}
