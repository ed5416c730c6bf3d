/**
 * A draft the pool stopped or refused, with the code the caller shows (the designer beside other
 * dry-run errors, `flows test` per sample); its tRPC code and exit code are the error table's
 * (flows/app-errors.ts).
 */
import { AppError } from "@/server/errors/app-error";

export type DraftRunErrorCode = "DRY_RUN_TIMEOUT" | "DRY_RUN_BUSY";

export class DraftRunError extends AppError {
  declare readonly code: DraftRunErrorCode;

  constructor(code: DraftRunErrorCode, message: string) {
    super(code, { message });
    this.name = "DraftRunError";
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))} s`;

export const draftTimedOut = (timeoutMs: number) =>
  new DraftRunError("DRY_RUN_TIMEOUT", `The dry run did not finish within ${seconds(timeoutMs)} and was stopped: check the flow's expressions and patterns`);

export const draftPoolBusy = (waiting: number) =>
  new DraftRunError("DRY_RUN_BUSY", `${waiting} dry runs are already waiting for a free runner; try again in a few seconds`);

