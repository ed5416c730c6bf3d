/**
 * Return status rules (the seed's §3.6) as settings: the installation's defaults, kept in app_meta,
 * and each flow's overrides, kept where every other part of a flow lives — in its file, so they
 * are versioned, exported to git and round-trip with the flow (flows/status-rules.ts says how the
 * two combine). Changing a flow's overrides publishes a new version, because a published version
 * is what an endpoint answers with; the defaults apply to every flow at once (writing them bumps
 * the incoming config version, so every process's endpoint cache rereads them on its next call).
 */
import type { Sql } from "postgres";
import { DEFAULT_STATUS_RULES, parseFlow, statusRulesSchema, type FlowFile, type Outcome, type StatusRules } from "@/flows/format";
import { effectiveStatusRules, statusRuleOverrides } from "@/flows/status-rules";
import type { ExecutionPlan } from "@/server/engine/compile";
import { FlowError } from "@/server/engine/errors";
import { actorLabel, auditActor, type Actor } from "@/server/audit/actor";
import { recordAudit } from "@/server/audit/audit-log";
import { lockFlow } from "@/server/flows/lock-flow";
import { publishLockedDraft } from "@/server/flows/publish-flow";
import { asJsonText, checksumOf } from "@/server/flows/repository";
import type { Queryable } from "@/server/db/queryable";

/** The app_meta key of the defaults (drizzle/0015 bumps the incoming config version when it is written). */
export const STATUS_RULES_KEY = "settings.status-rules";
const KEY = STATUS_RULES_KEY;

function parseRules(input: unknown): StatusRules {
  const parsed = statusRulesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "rules"}: ${i.message}`);
  throw new FlowError("VALIDATION_FAILED", { message: `Invalid return status rules: ${issues.join("; ")}`, details: { issues } });
}

export async function getDefaultStatusRules(sql: Queryable): Promise<StatusRules> {
  const [row] = await sql<{ value: unknown }[]>`select value from app_meta where key = ${KEY}`;
  if (!row) return DEFAULT_STATUS_RULES;
  const parsed = statusRulesSchema.safeParse(row.value);
  return parsed.success ? parsed.data : DEFAULT_STATUS_RULES;
}

export async function setDefaultStatusRules(sql: Queryable, input: unknown): Promise<StatusRules> {
  const rules = parseRules(input);
  await sql`
    insert into app_meta (key, value) values (${KEY}, ${sql.json(rules as never)})
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
  return rules;
}

/** The installation's defaults changed by an admin: the new rules and their audit row commit together. */
export async function changeDefaultStatusRules(sql: Sql, input: { rules: unknown }, actor: Actor): Promise<StatusRules> {
  return sql.begin(async (tx) => {
    const rules = await setDefaultStatusRules(tx, input.rules);
    await recordAudit(tx, { ...auditActor(actor), action: "settings.status_rules_defaults_changed", details: { rules } });
    return rules;
  });
}

const withDefaults = new WeakMap<ExecutionPlan, { defaults: StatusRules; plan: ExecutionPlan }>();

/** The plan answering with its flow's overrides and these defaults (one copy per plan and defaults). */
export function planWithDefaultStatusRules(plan: ExecutionPlan, defaults: StatusRules): ExecutionPlan {
  if (defaults === DEFAULT_STATUS_RULES) return plan;
  const hit = withDefaults.get(plan);
  if (hit && hit.defaults === defaults) return hit.plan;
  const copy: ExecutionPlan = { ...plan, flow: { ...plan.flow, statusRules: effectiveStatusRules(plan.flow.statusRules, defaults) } };
  withDefaults.set(plan, { defaults, plan: copy });
  return copy;
}

export interface FlowStatusRules {
  slug: string;
  name: string;
  direction: "incoming" | "outgoing";
  publishedVersion: number | null;
  /** The rules in the published version (the draft's when nothing is published). */
  rules: StatusRules;
  /** Outcomes this flow overrides; the others follow the defaults. */
  overrides: Outcome[];
  /** What callers get: overrides plus defaults. */
  effective: StatusRules;
  /** The draft has edits that are not published: an override change would publish them too, so it is refused. */
  hasDraftChanges: boolean;
}

export async function listFlowStatusRules(sql: Queryable): Promise<{ defaults: StatusRules; flows: FlowStatusRules[] }> {
  const defaults = await getDefaultStatusRules(sql);
  const rows = await sql<{ slug: string; name: string; direction: "incoming" | "outgoing"; published_version: number | null; draft: FlowFile; definition: FlowFile | null; checksum: string | null }[]>`
    select f.slug, f.name, f.direction, f.published_version, f.draft, v.definition, v.checksum
    from flows f left join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    order by f.direction, f.slug`;
  const flows = rows.map((r) => {
    const draft = parseFlow(r.draft);
    const rules = parseFlow(r.definition ?? r.draft).statusRules;
    return {
      slug: r.slug,
      name: r.name,
      direction: r.direction,
      publishedVersion: r.published_version,
      rules,
      overrides: statusRuleOverrides(rules),
      effective: effectiveStatusRules(rules, defaults),
      hasDraftChanges: r.checksum === null || r.checksum !== checksumOf(draft),
    };
  });
  return { defaults, flows };
}

/**
 * Sets a flow's overrides (an outcome left at the built-in rule follows the defaults) and publishes
 * them as the next version (an unpublished flow only gets them in its draft). Refused while the
 * draft holds other unpublished edits, so changing an answer never publishes someone's
 * half-finished mapping. One transaction under the flow's row lock with its audit row: a refused
 * publish (say, a connection the flow names was deleted since) leaves the draft as it was.
 */
export async function setFlowStatusRules(sql: Sql, input: { slug: string; rules: unknown }, actor: Actor): Promise<{ version: number | null; rules: StatusRules }> {
  const rules = parseRules(input.rules);
  const { slug } = input;
  return sql.begin(async (tx) => {
    const flow = await lockFlow(tx, slug);
    const draft = parseFlow(flow.draft);
    if (flow.publishedChecksum !== null && flow.publishedChecksum !== checksumOf(draft)) {
      throw new FlowError("WORKFLOW_RULE", {
        message: `Flow "${slug}" has unpublished draft changes: publish or discard them first, so changing its answers does not publish them`,
        details: { reason: "DRAFT_HAS_CHANGES", slug },
      });
    }
    const next: FlowFile = { ...draft, statusRules: rules };
    await tx`
      update flows set draft = ${asJsonText(next)}::text::json, draft_revision = draft_revision + 1, draft_updated_by = ${actorLabel(actor)}, updated_at = now()
      where id = ${flow.id}`;
    // Never published: the rules wait in the draft for its first publish (which is the designer's call).
    const version = flow.publishedChecksum === null ? null : (await publishLockedDraft(tx, { ...flow, draft: next }, { note: "Return status rules changed", actor })).version;
    await recordAudit(tx, { ...auditActor(actor), action: "flow.status_rules_changed", target: slug, details: { version, rules } });
    return { version, rules };
  });
}
