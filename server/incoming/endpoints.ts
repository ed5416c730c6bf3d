/**
 * Which published flow answers an incoming path, and the rows of the credentials the caller
 * presented, in one statement: the published version and active flag, the credentials and their
 * clients, the installation's default status rules and the incoming config version they were read
 * under, all from one snapshot. endpoint-cache.ts keeps the answer per process and checks that
 * version inside each call's transaction; the compiled plan is cached per version.
 */
import type { FlowFile, StatusRules } from "@/flows/format";
import { DEFAULT_STATUS_RULES, statusRulesSchema } from "@/flows/format";
import { getPlan, peekPlan, type ExecutionPlan } from "@/server/engine/compile";
import type { Queryable } from "@/server/db/queryable";
import { planWithDefaultStatusRules, STATUS_RULES_KEY } from "@/server/settings/status-rules";
import { credentialRowsByPrefix, type CredentialRow, type PrefetchedCredentials } from "./inbound-auth";

export interface IncomingEndpoint {
  flowId: string;
  slug: string;
  version: number;
  versionId: string;
  plan: ExecutionPlan;
}

export interface IncomingLookup {
  endpoint: IncomingEndpoint | undefined;
  credentials: PrefetchedCredentials;
  /** incoming_config_version when this was read (drizzle/0015): the cache's proof it is still current. */
  configVersion: string;
}

const SLUG = /^[a-z0-9-]{1,80}$/;

interface LookupRow extends CredentialRow {
  flow_id: string | null;
  version: number;
  version_id: string;
  config_version: string;
  status_rules: string | null;
}

/**
 * One row per credential found (at least one), each carrying the endpoint's columns (null when
 * there is none), the config version and the default status rules (as text: parsed once per change).
 */
export async function findIncomingEndpointWithCredentials(sql: Queryable, slug: string, prefixes: string[]): Promise<IncomingLookup | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const rows = (await sql`
    select e.*, c.*, (select version from incoming_config_version) as config_version,
           (select value::text from app_meta where key = ${STATUS_RULES_KEY}) as status_rules
    from (select 1) as one
      left join (
        select f.id as flow_id, v.version, v.id as version_id
        from flows f join flow_versions v on v.flow_id = f.id and v.version = f.published_version
        where f.slug = ${slug} and f.active and f.direction = 'incoming'
      ) as e on true
      left join (${credentialRowsByPrefix(sql, prefixes)}) as c on true`) as unknown as LookupRow[];
  const row = rows[0]!;
  return {
    endpoint: await endpointOf(sql, slug, row),
    credentials: { prefixes, rows: rows.filter((r) => r.prefix !== null) },
    configVersion: row.config_version,
  };
}

async function endpointOf(sql: Queryable, slug: string, row: LookupRow): Promise<IncomingEndpoint | undefined> {
  if (!row.flow_id) return undefined;
  let plan = peekPlan(row.version_id);
  if (!plan) {
    // A version's definition never changes (drizzle/0002), so reading it in a later statement is safe.
    const [def] = await sql<{ definition: FlowFile }[]>`select definition from flow_versions where id = ${row.version_id}`;
    plan = getPlan(row.version_id, def!.definition);
  }
  // The installation's return status rules fill in whatever the flow does not override.
  plan = planWithDefaultStatusRules(plan, defaultStatusRulesOf(row.status_rules));
  return { flowId: row.flow_id, slug, version: row.version, versionId: row.version_id, plan };
}

let lastRules: { text: string; rules: StatusRules } | undefined;

/**
 * The defaults as stored (getDefaultStatusRules' reading of them), parsed once per change: the same
 * object while the text is the same, so planWithDefaultStatusRules keeps reusing its plan copy.
 */
function defaultStatusRulesOf(text: string | null): StatusRules {
  if (text === null) return DEFAULT_STATUS_RULES;
  if (lastRules?.text === text) return lastRules.rules;
  const parsed = statusRulesSchema.safeParse(JSON.parse(text));
  lastRules = { text, rules: parsed.success ? parsed.data : DEFAULT_STATUS_RULES };
  return lastRules.rules;
}
