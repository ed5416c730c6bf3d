/**
 * What the canvas reads from a dry run: the per-node part of MAPPER's DesignerRunResult
 * (app/components/designer/testing/run-result.ts). Declared structurally here so the canvas does not
 * depend on the testing panel's module; any DesignerRunResult is assignable to it.
 */
export type NodeRunStatus = "success" | "error" | "skipped";

export interface NodeRunView {
  status: NodeRunStatus;
  input?: unknown;
  output?: unknown;
  durationMs?: number;
  error?: { code: string; message: string };
  /** The engine's remark, e.g. "rolled back (dry run)". */
  note?: string;
}

export interface RunView {
  status: string;
  httpStatus?: number;
  responseBody?: unknown;
  recordPreview?: unknown;
  nodes: Record<string, NodeRunView>;
}

export interface RunViewWithFields extends RunView {
  /** The answer's error code and every field error of a failed validation. */
  errorCode?: string;
  fieldErrors?: { field: string; code: string; message: string }[];
}

/**
 * Per-node results as the canvas shows them. A validate node fails with the engine's generic
 * VALIDATION_FAILED; the analyst wants the rule that failed, so that node shows the first field
 * error's code (INVALID_GST), as the answer does, and lists every field error in its message.
 */
export function nodeRunViews(run: RunViewWithFields | null): Record<string, NodeRunView> | undefined {
  if (!run) return undefined;
  const fields = run.fieldErrors ?? [];
  if (fields.length === 0) return run.nodes;
  const nodes: Record<string, NodeRunView> = {};
  for (const [id, view] of Object.entries(run.nodes)) {
    nodes[id] =
      view.status === "error" && view.error?.code === "VALIDATION_FAILED"
        ? { ...view, error: { code: fields[0]!.code, message: fields.map((f) => `${f.field}: ${f.message} (${f.code})`).join("; ") } }
        : view;
  }
  return nodes;
}
