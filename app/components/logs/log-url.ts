/**
 * The logs' state in the address bar: the filter and the open execution, so a filtered view can be
 * shared or bookmarked, survives a reload, and a link such as a record's `/logs?execution=<id>`
 * opens that execution's detail. Values that do not parse are dropped, never sent to the server.
 */
import type { LogFilter } from "@/server/logs/filter";

export const LOG_STATUSES = ["SUCCESS", "FAILED", "DUPLICATE", "ERROR"] as const;
const MODES = ["live", "dry", "replay"] as const;

/** What the logs page shows: the filter, and the execution whose drawer is open (or null). */
export interface LogsLocation {
  filter: LogFilter;
  execution: string | null;
}

type Reader = Pick<URLSearchParams, "get">;

function text(params: Reader, key: string): string | undefined {
  const value = params.get(key)?.trim();
  return value ? value.slice(0, 200) : undefined;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((v) => v === value);
}

function date(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function httpStatus(value: string | undefined): number | undefined {
  const code = Number(value);
  return value && Number.isInteger(code) && code >= 100 && code <= 599 ? code : undefined;
}

export function readLogsLocation(direction: LogFilter["direction"], params: Reader): LogsLocation {
  const incoming = direction === "incoming";
  const filter: LogFilter = {
    direction,
    flowSlug: text(params, "flow"),
    status: oneOf(LOG_STATUSES, params.get("status") ?? undefined),
    httpStatus: httpStatus(text(params, "http")),
    clientName: incoming ? text(params, "client") : undefined,
    connectionName: incoming ? undefined : text(params, "connection"),
    mode: oneOf(MODES, params.get("mode") ?? undefined),
    from: date(text(params, "from")),
    to: date(text(params, "to")),
    search: text(params, "q"),
  };
  for (const key of Object.keys(filter) as (keyof LogFilter)[]) if (filter[key] === undefined) delete filter[key];
  return { filter, execution: text(params, "execution") ?? null };
}

/** The query string (without "?") for a filter and an open execution; empty for the plain view. */
export function logsQueryString({ filter, execution }: LogsLocation): string {
  const params = new URLSearchParams();
  const put = (key: string, value: string | number | Date | undefined) => {
    if (value === undefined || value === "") return;
    params.set(key, value instanceof Date ? value.toISOString() : String(value));
  };
  put("flow", filter.flowSlug);
  put("status", filter.status);
  put("http", filter.httpStatus);
  put("client", filter.clientName);
  put("connection", filter.connectionName);
  put("mode", filter.mode);
  put("from", filter.from === undefined ? undefined : new Date(filter.from));
  put("to", filter.to === undefined ? undefined : new Date(filter.to));
  put("q", filter.search);
  put("execution", execution ?? undefined);
  return params.toString();
}
