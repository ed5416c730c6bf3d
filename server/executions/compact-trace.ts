/**
 * The trace as logged: a node's input is almost always the previous node's output
 * (the engine passes values by reference), so the log keeps it once and the
 * entry says where its input came from (`inputFrom`). This roughly halves what
 * every execution writes. `expandTrace` restores the full form for readers.
 */
import type { TraceEntry } from "@/server/engine/trace";

export type LoggedTraceEntry = TraceEntry & { inputFrom?: string };

export function compactTrace(trace: TraceEntry[]): LoggedTraceEntry[] {
  const out: LoggedTraceEntry[] = [];
  let previous: TraceEntry | undefined;
  for (const entry of trace) {
    if (previous && entry.input !== undefined && entry.input === previous.output && entry.item === previous.item) {
      const { input: _input, ...rest } = entry;
      out.push({ ...rest, inputFrom: previous.nodeId });
    } else {
      out.push(entry);
    }
    previous = entry;
  }
  return out;
}

export function expandTrace(trace: LoggedTraceEntry[]): TraceEntry[] {
  const byIndex: TraceEntry[] = [];
  for (const [i, entry] of trace.entries()) {
    const { inputFrom, ...rest } = entry;
    byIndex.push(inputFrom !== undefined && i > 0 ? { ...rest, input: byIndex[i - 1]!.output } : rest);
  }
  return byIndex;
}
