/**
 * How Flowport's JSONata functions ($lookup, $now) find the execution they run in. The execution's
 * bindings carry a token under `$__flowport` whose only content is a private field: JSONata sees an
 * empty object (it reads own properties only), so nothing in scope is ever reachable as data and an
 * expression can never call a service method directly.
 */
import type { ResolvedServices } from "./services";

export const SCOPE_BINDING = "__flowport";

export interface EvaluationScope {
  services: ResolvedServices;
  dryRun: boolean;
  /** The execution's clock reading: every $now() of one execution agrees. */
  now: Date;
}

class ScopeToken {
  readonly #scope: EvaluationScope;

  constructor(scope: EvaluationScope) {
    this.#scope = scope;
  }

  static read(token: unknown): EvaluationScope | undefined {
    return token instanceof ScopeToken ? token.#scope : undefined;
  }
}

export function scopeToken(scope: EvaluationScope): object {
  return new ScopeToken(scope);
}

interface FocusLike {
  environment?: { lookup(name: string): unknown };
}

/** The scope a token carries; undefined for any other value. */
export function scopeOfToken(token: unknown): EvaluationScope | undefined {
  return ScopeToken.read(token);
}

/** The scope of the evaluation a JSONata function was called from, if it has one. */
export function scopeFrom(focus: unknown): EvaluationScope | undefined {
  return ScopeToken.read((focus as FocusLike | undefined)?.environment?.lookup(SCOPE_BINDING));
}
