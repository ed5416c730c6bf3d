/**
 * The trace as logged: a node's input is almost always the previous node's output
 * (the engine passes values by reference), so the log keeps it once and the
 * entry says where its input came from (`inputFrom`). Likewise a node that passes
 * its input on unchanged (trigger, auth, validate, branch…) returns that very
 * object: its output is not written again (`outputIsInput`). On vendor-master
 * this keeps each payload once instead of three times, and every execution row is
 * written (and parsed into jsonb by PostgreSQL) on the incoming hot path.
 *
 * Incoming calls go further (options of compactTrace): a node's `name` and `type` are in the
 * flow version the row names (flow_id + flow_version), so entries leave them out, and the
 * trigger's input, the very request body the row logs in `request.body`, is marked
 * `inputFrom: "request"` on the first entry (where the older format never has an inputFrom).
 * An entry without `type` is of that form; rows written before it keep theirs and read back as
 * they were. `expandTrace` restores the full form for readers.
 */
import type { TraceEntry } from "@/server/engine/trace";

export type LoggedTraceEntry = Omit<TraceEntry, "name" | "type"> & {
  name?: string;
  type?: string;
  inputFrom?: string;
  outputIsInput?: true;
};

/** The first entry's mark for "my input is the logged request body". */
export const INPUT_FROM_REQUEST = "request";

export interface CompactOptions {
  /** Leave out each entry's name and type: the reader finds them in the row's flow version. */
  withoutNodeNames?: boolean;
  /** The body the row logs in request.body (only when logged whole): a first input that is this object is not written again. */
  requestBody?: unknown;
}

export function compactTrace(trace: TraceEntry[], options: CompactOptions = {}): LoggedTraceEntry[] {
  const out: LoggedTraceEntry[] = [];
  const named = !options.withoutNodeNames;
  let previous: TraceEntry | undefined;
  for (const entry of trace) {
    const linked = previous !== undefined && entry.input !== undefined && entry.input === previous.output && entry.item === previous.item;
    // Identity, not equality: only a value the node handed on untouched is known to be the same.
    const fromRequest = previous === undefined && options.requestBody !== undefined && entry.input === options.requestBody;
    const passThrough = entry.output !== undefined && entry.output === entry.input;
    if (!linked && !passThrough && !fromRequest && named) {
      out.push(entry);
    } else {
      const logged = withoutValues(entry, named);
      if (linked) logged.inputFrom = previous!.nodeId;
      else if (fromRequest) logged.inputFrom = INPUT_FROM_REQUEST;
      else if (entry.input !== undefined) logged.input = entry.input;
      if (passThrough) logged.outputIsInput = true;
      else if (entry.output !== undefined) logged.output = entry.output;
      out.push(logged);
    }
    previous = entry;
  }
  return out;
}

/**
 * The entry without input and output, copied field by field: object rest (`{ input, ...rest }`)
 * took a slow generic path in profiles of the incoming hot path. A field added to TraceEntry must
 * be added here (compact-trace.test.ts round-trips an entry with every field).
 */
function withoutValues(entry: TraceEntry, named: boolean): LoggedTraceEntry {
  const logged: LoggedTraceEntry = { nodeId: entry.nodeId, status: entry.status, durationUs: entry.durationUs };
  if (named) {
    logged.type = entry.type;
    logged.name = entry.name;
  }
  if (entry.truncated !== undefined) logged.truncated = entry.truncated;
  if (entry.port !== undefined) logged.port = entry.port;
  if (entry.note !== undefined) logged.note = entry.note;
  if (entry.error !== undefined) logged.error = entry.error;
  if (entry.item !== undefined) logged.item = entry.item;
  return logged;
}

/** A node's name and type as its flow version defines them. */
export type NodeNames = ReadonlyMap<string, { type: string; name: string }>;

export interface ExpandContext {
  /** The nodes of the row's flow version (traceNodesColumn); a node not found there shows as its id. */
  nodes?: NodeNames;
  /** The row's request column: the body a first entry marked inputFrom "request" received. */
  request?: unknown;
}

export function expandTrace(trace: LoggedTraceEntry[], context: ExpandContext = {}): TraceEntry[] {
  const byIndex: TraceEntry[] = [];
  for (const [i, entry] of trace.entries()) {
    const { inputFrom, outputIsInput, ...rest } = entry;
    const expanded = withNames(rest, context.nodes);
    if (inputFrom === INPUT_FROM_REQUEST && i === 0) expanded.input = requestBodyOf(context.request);
    else if (inputFrom !== undefined && i > 0) expanded.input = byIndex[i - 1]!.output;
    if (outputIsInput) expanded.output = expanded.input;
    byIndex.push(expanded);
  }
  return byIndex;
}

function withNames(entry: Omit<LoggedTraceEntry, "inputFrom" | "outputIsInput">, nodes: NodeNames | undefined): TraceEntry {
  if (entry.type !== undefined && entry.name !== undefined) return entry as TraceEntry;
  // The version (or the node) is gone: the id is all the log still knows.
  const node = nodes?.get(entry.nodeId);
  return { ...entry, type: entry.type ?? node?.type ?? entry.nodeId, name: entry.name ?? node?.name ?? entry.nodeId };
}

const requestBodyOf = (request: unknown) =>
  request !== null && typeof request === "object" ? (request as { body?: unknown }).body : undefined;
