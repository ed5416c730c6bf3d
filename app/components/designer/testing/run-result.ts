/**
 * A dry run's result as the designer shows it: the whole answer, the record that would be written,
 * and per node its status, input, output, duration and error (the canvas draws node badges from it).
 */
export interface DesignerNodeResult {
  status: "success" | "error" | "skipped";
  input?: unknown;
  output?: unknown;
  durationMs?: number;
  error?: { code: string; message: string };
  /** The engine's remark, e.g. "rolled back (dry run)" or "not sent in a dry run". */
  note?: string;
}

export interface DesignerRunResult {
  status: string;
  httpStatus?: number;
  responseBody?: unknown;
  recordPreview?: unknown;
  nodes: Record<string, DesignerNodeResult>;
  /** Outgoing: the requests send nodes would make (not sent in a dry run). */
  requests?: { connection: string; method: string; path: string; body?: unknown }[];
  /** The answer's error code and the field errors of a failed validation. */
  errorCode?: string;
  fieldErrors?: { field: string; code: string; message: string }[];
  durationMs?: number;
  /** The sample's generators ({{unique}}…) and the values this run gave them (flows/samples/generators.ts). */
  generated?: { path: string; text: string; value: string }[];
}
