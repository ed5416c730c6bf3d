/**
 * `flowport users …`: console users and their roles (admin, analyst, operator, viewer).
 * Without --password a random one is generated and printed once. Each action is a domain operation
 * (server/auth/user-actions.ts) run as `cli:<os user>`, audited like the console's.
 */
import type { Command } from "commander";
import type { Sql } from "postgres";
import { cliActor, type Actor } from "../../audit/actor";
import { ROLES } from "../../auth/permissions";
import type { ConsoleUser } from "../../auth/users";
import { runCommand as run, type CommandAnswer } from "../run-command";

/** better-auth loads only for `users` commands, not every CLI start. */
const users = () => import("../../auth/users");
const userActions = () => import("../../auth/user-actions");

const publicUser = (u: ConsoleUser) => ({ id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled });

export async function createUserCommand(
  sql: Sql,
  options: { email: string; role: string; password?: string; name?: string },
  actor: Actor = cliActor(),
): Promise<CommandAnswer> {
  const { user, generatedPassword } = await (await userActions()).createConsoleUser(sql, options, actor);
  return {
    data: { user: publicUser(user), ...(generatedPassword ? { password: generatedPassword } : {}) },
    human: [`created ${user.role} ${user.email}`, ...(generatedPassword ? [`password: ${generatedPassword}  (shown once)`] : [])].join("\n"),
  };
}

export async function listUsersCommand(sql: Sql): Promise<CommandAnswer> {
  const list = await (await users()).listUsers(sql);
  return {
    data: { users: list.map(publicUser) },
    human: list.map((u) => `${u.email.padEnd(32)} ${u.role.padEnd(9)}${u.disabled ? " (disabled)" : ""}`).join("\n") || "no users",
  };
}

export async function setRoleCommand(sql: Sql, email: string, role: string, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const user = await (await userActions()).changeUserRole(sql, { email, role }, actor);
  return { data: { user: publicUser(user) }, human: `${user.email} is now ${user.role}` };
}

export function registerUserCommands(program: Command) {
  const command = program.command("users").description(`Console users and their roles (${ROLES.join(", ")})`);
  command
    .command("create")
    .description("Create a console user")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--role <role>", ROLES.join(" | "))
    .option("--password <password>", "at least 10 characters; generated and printed once when omitted")
    .option("--name <name>", "display name")
    .option("--json", "print JSON")
    .action((options: { email: string; role: string; password?: string; name?: string; json?: boolean }) =>
      run(options, (sql) => createUserCommand(sql, options)),
    );
  command
    .command("list")
    .description("List console users")
    .option("--json", "print JSON")
    .action((options: { json?: boolean }) => run(options, (sql) => listUsersCommand(sql)));
  command
    .command("set-role <email> <role>")
    .description("Change a user's role")
    .option("--json", "print JSON")
    .action((email: string, role: string, options: { json?: boolean }) => run(options, (sql) => setRoleCommand(sql, email, role)));
}
