/**
 * What an executor sees of an expression: compiled once per flow version by the engine
 * (server/engine/jsonata.ts implements it with its time box, limits and threads), evaluated per
 * message. Pure types and JSONata's truthiness, so executors need nothing from server/.
 */
export interface ExpressionLimits {
  timeoutMs: number;
  /** Maximum nesting of jsonata evaluation steps; runaway recursion trips it. */
  maxDepth: number;
  /**
   * How long an evaluation may hold the main thread's event loop: one that runs longer is run
   * again, with the whole time box, in an expression thread (server/engine/expression-threads.ts).
   */
  yieldEveryMs: number;
}

export interface ExpressionSite {
  nodeId?: string;
  /** Where the expression sits in the node's config, e.g. ["config", "condition"]. */
  path?: (string | number)[];
}

export interface CompiledExpression {
  readonly text: string;
  /** The `$variables` the expression may read; evaluate passes only these bindings on. */
  readonly variables: readonly string[] | "all";
  /** Evaluates against `input`; `bindings` become `$name` variables. Throws FlowError. */
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

/** JSONata's truthiness ($boolean): empty strings, 0, empty arrays and objects, functions are false. */
export function jsonataBoolean(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(jsonataBoolean);
  switch (typeof value) {
    case "string":
      return value.length > 0;
    case "number":
      return value !== 0;
    case "boolean":
      return value;
    case "object":
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}
