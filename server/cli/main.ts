/**
 * `flowport`: operations and automation from the shell. Every subcommand takes
 * --json. Subcommands live in ./commands, one file per domain.
 */
import { Command } from "commander";
import { ConfigError, env } from "../env";
import { logToStderr } from "../log";
import { registerDbCommands } from "./commands/db";
import { registerFlowCommands } from "./commands/flows";
import { registerClientCommands } from "./commands/clients";
import { registerConnectionCommands } from "./commands/connections";
import { registerRecordCommands } from "./commands/records";
import { registerDeliveryCommands } from "./commands/deliveries";
import { registerUserCommands } from "./commands/users";

const program = new Command()
  .name("flowport")
  .description("Flowport: visual API integrations for your ERP.\nUses DATABASE_URL, or the embedded PostgreSQL in FLOWPORT_DATA_DIR.")
  .showHelpAfterError();

logToStderr();
registerDbCommands(program);
registerUserCommands(program);
registerFlowCommands(program);
registerClientCommands(program);
registerConnectionCommands(program);
registerRecordCommands(program);
registerDeliveryCommands(program);

try {
  env();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

await program.parseAsync(process.argv);
