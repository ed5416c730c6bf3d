import type { Command } from "commander";
import { migrateDatabase } from "../../db/migrate";
import { fail, print } from "../output";
import { withDatabase } from "../with-database";

export function registerDbCommands(program: Command) {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply Flowport's and graphile-worker's migrations (idempotent)")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }) => {
      try {
        const result = await withDatabase((database) => migrateDatabase(database.url));
        print(options, { ok: true, ...result }, () =>
          result.flowport.applied === 0
            ? `Database is up to date (${result.flowport.total} migrations, ${result.durationMs} ms).`
            : `Applied ${result.flowport.applied} migration(s); ${result.flowport.total} in all (${result.durationMs} ms).`,
        );
      } catch (error) {
        fail(options, error);
      }
    });
}
