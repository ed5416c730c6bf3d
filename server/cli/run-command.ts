/** The shared shape of a CLI subcommand: open the database, run a handler, print its answer (or fail). */
import type { Sql } from "postgres";
import { fail, print } from "./output";
import { withDatabase } from "./with-database";

/** What a handler returns: the same answer as data (for --json) and as text. */
export interface CommandAnswer {
  data: Record<string, unknown>;
  human: string;
}

export async function runCommand(options: { json?: boolean }, handler: (sql: Sql) => Promise<CommandAnswer>): Promise<void> {
  try {
    const answer = await withDatabase((database) => handler(database.sql));
    print(options, answer.data, () => answer.human);
  } catch (error) {
    fail(options, error);
  }
}
