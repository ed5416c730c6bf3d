/**
 * The `flowport` command tree: every subcommand, registered from ./commands (one file per domain).
 * Built apart from ./main.ts (which reads the environment and parses argv) so a test can walk it.
 */
import { Command } from "commander";
import { registerClientCommands } from "./commands/clients";
import { registerConnectionCommands } from "./commands/connections";
import { registerDbCommands } from "./commands/db";
import { registerDeliveryCommands } from "./commands/deliveries";
import { registerFlowCommands } from "./commands/flows";
import { registerRecordCommands } from "./commands/records";
import { registerUserCommands } from "./commands/users";

export function buildProgram(): Command {
  const program = new Command()
    .name("flowport")
    .description("Flowport: visual API integrations for your ERP.\nUses DATABASE_URL, or the embedded PostgreSQL in FLOWPORT_DATA_DIR.")
    .showHelpAfterError();
  registerDbCommands(program);
  registerUserCommands(program);
  registerFlowCommands(program);
  registerClientCommands(program);
  registerConnectionCommands(program);
  registerRecordCommands(program);
  registerDeliveryCommands(program);
  return program;
}
