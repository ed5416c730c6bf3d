/**
 * The filter of the Incoming and Outgoing Logs, shared by the page query, the count shown before a
 * bulk replay or retry, and the bulk action itself: all three see exactly the same rows.
 */
import { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import { normalizeSearchKey } from "@/server/executions/search-keys";

export const EXECUTION_STATUSES = ["SUCCESS", "FAILED", "DUPLICATE", "ERROR"] as const;

export const logFilterSchema = z.object({
  direction: z.enum(["incoming", "outgoing"]),
  flowSlug: z.string().trim().min(1).max(200).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  httpStatus: z.number().int().min(100).max(599).optional(),
  /** Incoming: the API client's name. */
  clientName: z.string().trim().min(1).max(200).optional(),
  /** Outgoing: the connection's name. */
  connectionName: z.string().trim().min(1).max(200).optional(),
  /** "live" | "dry" | "replay"; every mode when absent. */
  mode: z.enum(["live", "dry", "replay"]).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /**
   * A business key: record id, reference id, request id or error code (exact match), or the value
   * of one of the flow's key fields, a GSTIN or a vendor name (whole value, any case).
   */
  search: z.string().trim().min(1).max(200).optional(),
});

export type LogFilter = z.infer<typeof logFilterSchema>;

/**
 * The WHERE clause (without the keyword). Every condition is one an index serves: the search is
 * an OR of equalities on the partial indexes of record_id, reference_id, request_id and
 * error_code and a containment on the GIN index of search_keys (a BitmapOr), so finding a business
 * key never scans the table. A status other than
 * SUCCESS also says `status <> 'SUCCESS'` as a literal, which lets the planner use the small partial
 * index of failures whatever the bound parameter is; an HTTP code other than 200 likewise says
 * `http_status <> 200` for the partial index of those (a 200 is found on the direction's index).
 */
export function logFilterSql(sql: Queryable, f: LogFilter) {
  const none = sql``;
  const search = f.search;
  return sql`
    direction = ${f.direction}
    ${f.flowSlug ? sql`and flow_slug = ${f.flowSlug}` : none}
    ${f.status ? sql`and status = ${f.status}` : none}
    ${f.status && f.status !== "SUCCESS" ? sql`and status <> 'SUCCESS'` : none}
    ${f.httpStatus ? sql`and http_status = ${f.httpStatus}` : none}
    ${f.httpStatus && f.httpStatus !== 200 ? sql`and http_status <> 200` : none}
    ${f.clientName ? sql`and client_name = ${f.clientName}` : none}
    ${f.connectionName ? sql`and connection_name = ${f.connectionName}` : none}
    ${f.mode ? sql`and mode = ${f.mode}` : none}
    ${f.mode && f.mode !== "live" ? sql`and mode <> 'live'` : none}
    ${f.from ? sql`and started_at >= ${f.from}` : none}
    ${f.to ? sql`and started_at < ${f.to}` : none}
    ${
      search
        ? sql`and (record_id = ${search} or reference_id = ${search} or ${requestIdIs(sql, search)} or error_code = ${search.toUpperCase()}
            or (search_keys is not null and search_keys @> array[${normalizeSearchKey(search)}]::text[]))`
        : none
    }`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `request_id = search`, through the indexes that hold request ids: an incoming call whose request
 * id Flowport generated is logged with that id as its execution id (primary key); the partial
 * request-id index holds every other one (drizzle/0012_executions_lean_indexes.sql). Both arms
 * repeat the equality, so the rows matched are exactly those whose request id is `search`.
 */
function requestIdIs(sql: Queryable, search: string) {
  const ownId = UUID.test(search) ? sql` or (id = ${search}::uuid and request_id = ${search})` : sql``;
  return sql`((request_id = ${search} and request_id <> id::text)${ownId})`;
}
