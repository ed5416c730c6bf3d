/**
 * `flowport users …`: console users and their roles (admin, analyst, operator, viewer).
 * Without --password a random one is generated and printed once.
 */
import type { Command } from "commander";
import type { Sql } from "postgres";
import { recordAudit } from "../../audit/audit-log";
import { ROLES } from "../../auth/permissions";
import type { ConsoleUser } from "../../auth/users";

/** better-auth loads only for `users` commands, not every CLI start. */
const users = () => import("../../auth/users");
import { runCommand as run, type CommandAnswer } from "../run-command";

const publicUser = (u: ConsoleUser) => ({ id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled });

export async function createUserCommand(
  sql: Sql,
  options: { email: string; role: string; password?: string; name?: string },
): Promise<CommandAnswer> {
  const { createUser, generatePassword } = await users();
  const generated = options.password === undefined;
  const password = options.password ?? generatePassword();
  const user = await createUser(sql, { email: options.email, role: options.role, password, name: options.name });
  await recordAudit(sql, { actorId: null, action: "user.created", target: user.email, details: { role: user.role, via: "cli" } });
  return {
    data: { user: publicUser(user), ...(generated ? { password } : {}) },
    human: [`created ${user.role} ${user.email}`, ...(generated ? [`password: ${password}  (shown once)`] : [])].join("\n"),
  };
}

export async function listUsersCommand(sql: Sql): Promise<CommandAnswer> {
  const list = await (await users()).listUsers(sql);
  return {
    data: { users: list.map(publicUser) },
    human: list.map((u) => `${u.email.padEnd(32)} ${u.role.padEnd(9)}${u.disabled ? " (disabled)" : ""}`).join("\n") || "no users",
  };
}

export async function setRoleCommand(sql: Sql, email: string, role: string): Promise<CommandAnswer> {
  const [row] = await sql<{ id: string }[]>`select id from auth_user where email = ${email.trim().toLowerCase()}`;
  if (!row) throw Object.assign(new Error(`no user with email ${email}`), { code: "USER_NOT_FOUND" });
  const user = await (await users()).setUserRole(sql, row.id, role);
  await recordAudit(sql, { actorId: null, action: "user.role_changed", target: user.email, details: { role, via: "cli" } });
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
