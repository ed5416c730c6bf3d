/**
 * One home per concept (issue 16): every tRPC procedure and every CLI command is a thin caller of a
 * server function — a domain operation for actions (its transaction, checks, audit row and
 * AppError) or a read. This test walks the app router's procedures and the `flowport` command tree,
 * finds each one's source, and fails on one that talks to the database itself: a query (sql`…`,
 * tx`…`, ctx.sql<…>`…`), a transaction (.begin/.savepoint), raw SQL (.unsafe), drizzle, or an
 * audit row written beside the operation instead of inside it. The checker is proven on fixtures
 * below, so it cannot pass by finding nothing.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "@/server/cli/program";
import { appRouter } from "./root";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** What a caller must not do itself: each rule names the habit it catches. */
const RULES: { rule: string; pattern: RegExp }[] = [
  { rule: "runs a query (tagged template on the database handle)", pattern: /\b(?:sql|tx|ctx\.sql|database\.sql)\s*(?:<[^`;]*?>)?\s*`/ },
  { rule: "opens a transaction", pattern: /\.(?:begin|savepoint)\s*\(/ },
  { rule: "runs raw SQL", pattern: /\.unsafe\s*\(/ },
  { rule: "uses drizzle or the schema directly", pattern: /from\s+["'](?:drizzle-orm[^"']*|@\/server\/db\/schema[^"']*|(?:\.\.\/)+db\/schema[^"']*|@\/server\/db\/client|(?:\.\.\/)+db\/client)["']/ },
  { rule: "writes an audit row itself (the domain operation does)", pattern: /\b(?:recordAudit|auditAs)\s*\(|audit\/audit-log["']|\/audited["']/ },
  { rule: "uses the database handle other than passing it on", pattern: /\b(?:ctx\.sql|tx)\s*\.\s*(?!then\b)\w+/ },
];

export function violations(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return RULES.filter((r) => r.pattern.test(code)).map((r) => r.rule);
}

/** The root router's keys and the file each sub-router comes from. */
function routerFiles(): Map<string, string> {
  const root = read("server/trpc/root.ts");
  const fileOf = new Map([...root.matchAll(/import \{ (\w+) \} from "\.\/routers\/([\w-]+)"/g)].map((m) => [m[1]!, `server/trpc/routers/${m[2]}.ts`]));
  return new Map([...root.matchAll(/^\s+(\w+): (\w+Router),$/gm)].map((m) => [m[1]!, fileOf.get(m[2]!)!]));
}

/** One procedure's source: from `name: guarded(…)`/`publicProcedure` to the next procedure or the router's end. */
export function procedureSource(routerSource: string, name: string): string | undefined {
  const keys = [...routerSource.matchAll(/^ {2}(\w+): (?:guarded\(|publicProcedure)/gm)];
  const at = keys.findIndex((k) => k[1] === name);
  if (at === -1) return undefined;
  const start = keys[at]!.index!;
  const end = keys[at + 1]?.index ?? routerSource.indexOf("\n});", start);
  return routerSource.slice(start, end);
}

/** ctx.sql may only be handed to a function the router imported from server/ (a domain operation or read). */
export function handsOnHandle(procedure: string, routerSource: string): string[] {
  const imported = new Set(
    [...routerSource.matchAll(/import \{([^}]+)\} from "@\/server\/[^"]+"/g)].flatMap((m) => m[1]!.split(",").map((n) => n.replace(/^\s*type\s+/, "").trim().split(/\s+as\s+/).pop()!)),
  );
  const uses = [...procedure.matchAll(/(\w+)?\(?\s*ctx\.sql\b/g)];
  return uses.filter((u) => !u[1] || !imported.has(u[1])).map((u) => `ctx.sql used outside a server function call: "${u[0].trim()}"`);
}

function leafCommands(command: Command, prefix: string[] = []): { path: string[]; command: Command }[] {
  if (command.commands.length === 0) return [{ path: prefix, command }];
  return command.commands.flatMap((c) => leafCommands(c, [...prefix, c.name()]));
}

describe("tRPC procedures and CLI commands are thin callers of server functions", () => {
  it("every tRPC procedure is found in its router file and neither it nor its file talks to the database", () => {
    const files = routerFiles();
    const procedures = Object.keys(appRouter._def.procedures);
    expect(procedures.length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const file of new Set(files.values())) for (const v of violations(read(file))) problems.push(`${file}: ${v}`);
    for (const full of procedures) {
      const [routerKey, name, ...rest] = full.split(".");
      const file = files.get(routerKey!);
      const source = file ? read(file) : "";
      const procedure = rest.length === 0 ? procedureSource(source, name!) : undefined;
      if (!procedure) {
        problems.push(`${full}: no source found (nested routers or another layout need this test taught first)`);
        continue;
      }
      for (const v of [...violations(procedure), ...handsOnHandle(procedure, source)]) problems.push(`${full}: ${v}`);
    }
    expect(problems).toEqual([]);
  });

  it("every CLI command is registered in a commands file, and no command file or the program talks to the database", () => {
    const leaves = leafCommands(buildProgram());
    expect(leaves.length).toBeGreaterThan(25);
    const dir = path.join(ROOT, "server/cli/commands");
    const sources = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => ({ file: `server/cli/commands/${f}`, source: read(`server/cli/commands/${f}`) }));
    const problems: string[] = [];
    for (const { file, source } of [...sources, { file: "server/cli/program.ts", source: read("server/cli/program.ts") }, { file: "server/cli/main.ts", source: read("server/cli/main.ts") }]) {
      for (const v of violations(source)) problems.push(`${file}: ${v}`);
    }
    for (const { path: names } of leaves) {
      const group = names[0]!;
      const leaf = names.at(-1)!;
      const home = sources.find(({ source }) => source.includes(`command("${group}")`) && new RegExp(`command\\("${leaf}[ "]`).test(source));
      if (!home) problems.push(`flowport ${names.join(" ")}: not registered in server/cli/commands/`);
    }
    expect(problems).toEqual([]);
    expect(leaves.map((l) => l.path.join(" "))).toEqual(expect.arrayContaining(["records list", "clients set", "connections set", "flows import", "flows rollback"]));
  });

  it("the checker catches a router or a command that queries, opens a transaction or audits by itself", () => {
    const router = (body: string) => `import { listThings } from "@/server/things";\nexport const r = router({\n  list: guarded("x.read").query(({ ctx }) => listThings(ctx.sql)),\n  bad: guarded("x.manage")${body},\n});\n`;
    const clean = router(`.mutation(({ ctx, input }) => listThings(ctx.sql, input))`);
    expect(violations(clean)).toEqual([]);
    expect(handsOnHandle(procedureSource(clean, "bad")!, clean)).toEqual([]);

    const query = router(".query(({ ctx }) => ctx.sql<{ n: number }[]>`select count(*) as n from flows`)");
    expect(violations(query)).toContain("runs a query (tagged template on the database handle)");
    expect(handsOnHandle(procedureSource(query, "bad")!, query)).not.toEqual([]);
    expect(handsOnHandle(procedureSource(query, "list")!, query)).toEqual([]);

    const transaction = router(".mutation(({ ctx }) => ctx.sql.begin(async (tx) => { await tx`delete from flows`; }))");
    expect(violations(transaction)).toEqual(expect.arrayContaining(["opens a transaction", "runs a query (tagged template on the database handle)"]));

    const audited = router(`.mutation(async ({ ctx }) => { await listThings(ctx.sql); await recordAudit(ctx.sql, { action: "x" }); })`);
    expect(violations(audited)).toContain("writes an audit row itself (the domain operation does)");
    expect(handsOnHandle(procedureSource(audited, "bad")!, audited)).toEqual(['ctx.sql used outside a server function call: "recordAudit(ctx.sql"']);

    const raw = router(`.query(({ ctx }) => ctx.sql.unsafe("select 1"))`);
    expect(violations(raw)).toEqual(expect.arrayContaining(["runs raw SQL", "uses the database handle other than passing it on"]));

    const command = `export async function listCommand(sql: Sql) {\n  const rows = await sql\`select * from records\`;\n  return { data: { rows }, human: "" };\n}\n`;
    expect(violations(command)).toEqual(["runs a query (tagged template on the database handle)"]);
    expect(violations(`import { db } from "@/server/db/client";\nimport { flows } from "@/server/db/schema/flows";`)).toEqual(["uses drizzle or the schema directly"]);
    // Comments may mention what code must not do.
    expect(violations("/** never sql`…` here */\n// ctx.sql.begin( is for domain operations\n")).toEqual([]);
  });
});
