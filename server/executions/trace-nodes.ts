/**
 * The node names and types a compact trace leaves out (compact-trace.ts), read back from the flow
 * version the execution row names. A column expression, so readers get them in the query that
 * reads the row (no second round trip); null when the version is gone (its entries then show their
 * node ids).
 */
import type { Queryable } from "@/server/db/queryable";
import type { NodeNames } from "./compact-trace";

/** `[[id, type, name], …]` of the version of the `executions` row in scope (alias `executions`). */
export const traceNodesColumn = (sql: Queryable) => sql`
  (select json_agg(json_build_array(n->>'id', n->>'type', n->>'name'))
   from flow_versions v, json_array_elements(v.definition->'nodes') n
   where v.flow_id = executions.flow_id and v.version = executions.flow_version) as trace_nodes`;

export type TraceNodesRow = [string, string, string][] | null;

export function nodeNamesOf(row: TraceNodesRow): NodeNames {
  return new Map((row ?? []).map(([id, type, name]) => [id, { type, name }]));
}
