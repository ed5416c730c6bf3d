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
}

export interface RunView {
  status: string;
  httpStatus?: number;
  responseBody?: unknown;
  recordPreview?: unknown;
  nodes: Record<string, NodeRunView>;
}
