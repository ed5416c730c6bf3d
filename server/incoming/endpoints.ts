/**
 * Which published flow answers an incoming path. One indexed query per call
 * (published version and active flag, never cached, so publishing or deactivating
 * takes effect on the next request); the compiled plan is cached per version.
 * The hot path reads the caller's credentials in the same statement
 * (findIncomingEndpointWithCredentials): one round trip for both.
 */
import type { FlowFile } from "@/flows/format";
import { getPlan, peekPlan, type ExecutionPlan } from "@/server/engine/compile";
import type { Queryable } from "@/server/records/store";
import { credentialRowsByPrefix, type CredentialRow, type PrefetchedCredentials } from "./inbound-auth";
import { cachedDefaultStatusRules, planWithDefaultStatusRules } from "@/server/settings/status-rules";

export interface IncomingEndpoint {
  flowId: string;
  slug: string;
  version: number;
  versionId: string;
  plan: ExecutionPlan;
}

const SLUG = /^[a-z0-9-]{1,80}$/;

const endpointQuery = (sql: Queryable, slug: string) => sql`
  select f.id as flow_id, v.version, v.id as version_id
  from flows f join flow_versions v on v.flow_id = f.id and v.version = f.published_version
  where f.slug = ${slug} and f.active and f.direction = 'incoming'`;

interface EndpointRow {
  flow_id: string | null;
  version: number;
  version_id: string;
}

async function endpointOf(sql: Queryable, slug: string, row: EndpointRow | undefined): Promise<IncomingEndpoint | undefined> {
  if (!row?.flow_id) return undefined;
  let plan = peekPlan(row.version_id);
  if (!plan) {
    const [def] = await sql<{ definition: FlowFile }[]>`select definition from flow_versions where id = ${row.version_id}`;
    plan = getPlan(row.version_id, def!.definition);
  }
  // The installation's return status rules fill in whatever the flow does not override.
  plan = planWithDefaultStatusRules(plan, await cachedDefaultStatusRules(sql));
  return { flowId: row.flow_id, slug, version: row.version, versionId: row.version_id, plan };
}

export async function findIncomingEndpoint(sql: Queryable, slug: string): Promise<IncomingEndpoint | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const [row] = (await endpointQuery(sql, slug)) as unknown as EndpointRow[];
  return endpointOf(sql, slug, row);
}

/**
 * The endpoint and the rows of the credentials presented (by prefix), in one statement: one row
 * per credential found (at least one), each carrying the endpoint's columns (null when none).
 */
export async function findIncomingEndpointWithCredentials(
  sql: Queryable,
  slug: string,
  prefixes: string[],
): Promise<{ endpoint: IncomingEndpoint | undefined; credentials: PrefetchedCredentials }> {
  if (!SLUG.test(slug)) return { endpoint: undefined, credentials: { prefixes: [], rows: [] } };
  if (prefixes.length === 0) return { endpoint: await findIncomingEndpoint(sql, slug), credentials: { prefixes, rows: [] } };
  const rows = (await sql`
    select e.*, c.*
    from (select 1) as one
      left join (${endpointQuery(sql, slug)}) as e on true
      left join (${credentialRowsByPrefix(sql, prefixes)}) as c on true`) as unknown as (EndpointRow & CredentialRow)[];
  return {
    endpoint: await endpointOf(sql, slug, rows[0]),
    credentials: { prefixes, rows: rows.filter((r) => r.prefix !== null) },
  };
}
