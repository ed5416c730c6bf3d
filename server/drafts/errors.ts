/**
 * A draft the pool stopped or refused, with the code the caller shows (the designer beside other
 * dry-run errors, `flows test` per sample) and the tRPC code it answers with.
 */
export type DraftRunErrorCode = "DRY_RUN_TIMEOUT" | "DRY_RUN_BUSY";

const TRPC_CODES = {
  DRY_RUN_TIMEOUT: "TIMEOUT",
  DRY_RUN_BUSY: "TOO_MANY_REQUESTS",
} as const satisfies Record<DraftRunErrorCode, string>;

export class DraftRunError extends Error {
  readonly trpcCode: (typeof TRPC_CODES)[DraftRunErrorCode];

  constructor(
    readonly code: DraftRunErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DraftRunError";
    this.trpcCode = TRPC_CODES[code];
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))} s`;

export const draftTimedOut = (timeoutMs: number) =>
  new DraftRunError("DRY_RUN_TIMEOUT", `The dry run did not finish within ${seconds(timeoutMs)} and was stopped: check the flow's expressions and patterns`);

export const draftPoolBusy = (waiting: number) =>
  new DraftRunError("DRY_RUN_BUSY", `${waiting} dry runs are already waiting for a free runner; try again in a few seconds`);

