/**
 * The trace as logged: a node's input is almost always the previous node's output
 * (the engine passes values by reference), so the log keeps it once and the
 * entry says where its input came from (`inputFrom`). Likewise a node that passes
 * its input on unchanged (trigger, auth, validate, branch…) returns that very
 * object: its output is not written again (`outputIsInput`). On vendor-master
 * this keeps each payload once instead of three times, and every execution row is
 * written (and parsed into jsonb by PostgreSQL) on the incoming hot path.
 * `expandTrace` restores the full form for readers.
 */
import type { TraceEntry } from "@/server/engine/trace";

export type LoggedTraceEntry = TraceEntry & { inputFrom?: string; outputIsInput?: true };

export function compactTrace(trace: TraceEntry[]): LoggedTraceEntry[] {
  const out: LoggedTraceEntry[] = [];
  let previous: TraceEntry | undefined;
  for (const entry of trace) {
    const linked = previous !== undefined && entry.input !== undefined && entry.input === previous.output && entry.item === previous.item;
    // Identity, not equality: only a value the node handed on untouched is known to be the same.
    const passThrough = entry.output !== undefined && entry.output === entry.input;
    if (!linked && !passThrough) {
      out.push(entry);
    } else {
      const logged = withoutValues(entry);
      if (linked) logged.inputFrom = previous!.nodeId;
      else logged.input = entry.input;
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
function withoutValues(entry: TraceEntry): LoggedTraceEntry {
  const logged: LoggedTraceEntry = { nodeId: entry.nodeId, type: entry.type, name: entry.name, status: entry.status, durationUs: entry.durationUs };
  if (entry.truncated !== undefined) logged.truncated = entry.truncated;
  if (entry.port !== undefined) logged.port = entry.port;
  if (entry.note !== undefined) logged.note = entry.note;
  if (entry.error !== undefined) logged.error = entry.error;
  if (entry.item !== undefined) logged.item = entry.item;
  return logged;
}

export function expandTrace(trace: LoggedTraceEntry[]): TraceEntry[] {
  const byIndex: TraceEntry[] = [];
  for (const [i, entry] of trace.entries()) {
    const { inputFrom, outputIsInput, ...rest } = entry;
    const expanded: TraceEntry = inputFrom !== undefined && i > 0 ? { ...rest, input: byIndex[i - 1]!.output } : rest;
    if (outputIsInput) expanded.output = expanded.input;
    byIndex.push(expanded);
  }
  return byIndex;
}
