import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { cliActorName } from "@/server/audit/actor";
import { resolveCredentialHeaders } from "@/server/outgoing/credentials";
import { useTestDatabase } from "../../testing/database";
import { childEnv, ROOT } from "../../testing/processes";
import {
  deleteConnectionCommand,
  listConnectionsCommand,
  listCredentialsCommand,
  parseHeaderOptions,
  pauseConnectionCommand,
  readSecretFromStdin,
  resumeConnectionCommand,
  setConnectionCommand,
  setCredentialCommand,
} from "./connections";

// The CLI child inherits this key through childEnv, so both processes seal secrets alike.
vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
const request = { method: "POST", url: "https://api.example.com/", body: "{}" };

describe("flowport credentials / connections", () => {
  it("credentials set saves the secret encrypted and answers with the mask only", async () => {
    const { sql } = database();
    const secret = "tok_live_abcdefgh1234";
    const answer = await setCredentialCommand(sql, "erp-bearer", { type: "bearer" }, secret);
    expect(answer.human).toContain("••••1234");
    expect(answer.human).not.toContain(secret);
    expect(JSON.stringify(answer.data)).not.toContain(secret);
    expect(await resolveCredentialHeaders(sql, "erp-bearer", request)).toEqual({ authorization: `Bearer ${secret}` });

    await setCredentialCommand(sql, "erp-basic", { type: "basic", username: "erp" }, "password-0000-9999");
    await setCredentialCommand(sql, "erp-oauth", { type: "oauth2_client_credentials", tokenUrl: "https://auth.example.com/token", clientId: "fp", scope: "a b" }, "cs-1111-2222-3333");
    const listed = await listCredentialsCommand(sql);
    expect(listed.human).toMatch(/erp-basic {2}basic · ••••9999 · username=erp/);
    expect(listed.human).toContain("clientId=fp");
    for (const s of [secret, "password-0000-9999", "cs-1111-2222-3333"]) expect(JSON.stringify(listed)).not.toContain(s);

    await expect(setCredentialCommand(sql, "x", { type: "password" }, "s")).rejects.toThrow(/--type must be one of/);
    await expect(setCredentialCommand(sql, "x", { type: "basic" }, "s")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("connections set, list and delete", async () => {
    const { sql } = database();
    const answer = await setConnectionCommand(sql, "accounting", {
      url: "https://external-system.com/api/v1",
      credential: "erp-bearer",
      header: ["X-Tenant=acme", "X-Source: erp"],
      timeoutMs: "5000",
      maxAttempts: "3",
      allowPrivate: true,
    });
    expect(answer.data.connection).toMatchObject({
      credentialName: "erp-bearer",
      defaultHeaders: { "X-Tenant": "acme", "X-Source": "erp" },
      timeoutMs: 5000,
      allowPrivate: true,
      maxAttempts: 3,
      retryScheduleMs: null,
    });
    const listed = await listConnectionsCommand(sql);
    expect(listed.human).toContain("accounting  POST https://external-system.com/api/v1 · credential erp-bearer · timeout 5000 ms");
    expect(listed.human).toContain("private targets allowed");
    expect(listed.human).toContain("· circuit closed");

    // Pause by hand: the list says so, with who; resume closes the circuit. Both audited.
    expect((await pauseConnectionCommand(sql, "accounting", { reason: "maintenance" }, { kind: "cli", name: "cli:ops" })).human).toContain('Paused connection "accounting"');
    const paused = await listConnectionsCommand(sql);
    expect(paused.human).toMatch(/accounting .* · circuit paused since \S+ by cli:ops/);
    expect((paused.data.connections as { circuit?: { state: string } }[])[0]!.circuit).toMatchObject({ state: "paused", held: 0 });
    expect((await resumeConnectionCommand(sql, "accounting", { kind: "cli", name: "cli:ops" })).human).toContain("0 waiting deliveries released");
    expect((await listConnectionsCommand(sql)).human).toContain("· circuit closed");
    const audit = await sql<{ action: string; actor_email: string }[]>`select action, actor_email from audit_log where target = 'accounting' order by id`;
    // `connections set` above is audited too (as the OS user running the CLI).
    expect(audit).toEqual([
      { action: "connection.saved", actor_email: expect.stringMatching(/^cli:/) },
      { action: "connection.paused", actor_email: "cli:ops" },
      { action: "connection.resumed", actor_email: "cli:ops" },
    ]);
    await expect(pauseConnectionCommand(sql, "nope", {})).rejects.toMatchObject({ code: "NOT_FOUND" });

    await expect(setConnectionCommand(sql, "bad", { url: "https://a.example.com", credential: "nope" })).rejects.toThrow(/No credential named "nope"/);
    await expect(setConnectionCommand(sql, "bad", { url: "https://a.example.com", timeoutMs: "soon" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(setConnectionCommand(sql, "bad", {})).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: 'Connection "bad" does not exist yet: give its URL (--url)' });
    expect((await deleteConnectionCommand(sql, "accounting")).human).toContain("Deleted");
  });

  it("sets a retry schedule and attempts per connection, clears them with default, and names a bad delay", async () => {
    const { sql } = database();
    const set = await setConnectionCommand(sql, "erp-hub", { url: "https://hub.example.com", retrySchedule: "5s, 5m, 30m, 2h", maxAttempts: "8" });
    expect(set.data.connection).toMatchObject({ retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000], maxAttempts: 8 });
    expect(set.human).toContain("8 attempts · retry schedule 5s, 5m, 30m, 2h");
    // A set that names neither keeps both.
    expect((await setConnectionCommand(sql, "erp-hub", { timeoutMs: "3000" })).data.connection).toMatchObject({ retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000], maxAttempts: 8 });
    await expect(setConnectionCommand(sql, "erp-hub", { retrySchedule: "5s, 5x" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "Retry schedule: '5x' is not a duration like 5s, 10m or 2h",
    });
    await expect(setConnectionCommand(sql, "erp-hub", { maxAttempts: "lots" })).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("--max-attempts") });
    await expect(setConnectionCommand(sql, "erp-hub", { maxAttempts: "21" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const cleared = await setConnectionCommand(sql, "erp-hub", { retrySchedule: "default", maxAttempts: "default" });
    expect(cleared.data.connection).toMatchObject({ retryScheduleMs: null, maxAttempts: null });
    expect(cleared.human).toContain("default attempts · retry schedule default");
    // Audited with what was stored.
    const [last] = await sql<{ details: Record<string, unknown> }[]>`select details from audit_log where target = 'erp-hub' order by id desc limit 1`;
    expect(last!.details).toMatchObject({ retryScheduleMs: null, maxAttempts: null });
  });

  it("set keeps what it is not given: the credential, headers, policy and flags stay unless named (--no-credential removes it)", async () => {
    const { sql } = database();
    await setCredentialCommand(sql, "portal-token", { type: "bearer" }, "tok_portal_00001111");
    await setConnectionCommand(sql, "portal", { url: "https://portal.example.com", credential: "portal-token", header: ["X-Tenant=acme"], timeoutMs: "4000", maxAttempts: "7", followRedirects: true, owner: "portal team" });
    const moved = await setConnectionCommand(sql, "portal", { url: "https://portal2.example.com/v2" });
    expect(moved.data.connection).toMatchObject({
      baseUrl: "https://portal2.example.com/v2",
      credentialName: "portal-token",
      defaultHeaders: { "X-Tenant": "acme" },
      timeoutMs: 4000,
      maxAttempts: 7,
      followRedirects: true,
      owner: "portal team",
    });
    const retimed = await setConnectionCommand(sql, "portal", { timeoutMs: "2500", followRedirects: false });
    expect(retimed.data.connection).toMatchObject({ baseUrl: "https://portal2.example.com/v2", credentialName: "portal-token", timeoutMs: 2500, followRedirects: false });
    expect((await setConnectionCommand(sql, "portal", { credential: false })).data.connection).toMatchObject({ credentialName: null, timeoutMs: 2500 });

    // credentials set: a new secret keeps the settings and owner it is not given, and the type when --type is left out.
    await setCredentialCommand(sql, "portal-basic", { type: "basic", username: "erp", owner: "portal team" }, "password-0000-1111");
    const resecret = await setCredentialCommand(sql, "portal-basic", {}, "password-2222-3333");
    expect(resecret.data.credential).toMatchObject({ type: "basic", config: { username: "erp" }, owner: "portal team", masked: "••••3333" });
    await expect(setCredentialCommand(sql, "brand-new", {}, "whatever-secret")).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: 'Give the type of credential "brand-new"' });

    const trail = await sql<{ action: string; target: string; actor_email: string; actor_id: string | null }[]>`
      select action, target, actor_email, actor_id from audit_log where target like 'portal%' order by id`;
    expect(trail.map((t) => `${t.action} ${t.target}`)).toEqual([
      "credential.created portal-token",
      "connection.saved portal",
      "connection.saved portal",
      "connection.saved portal",
      "connection.saved portal",
      "credential.created portal-basic",
      "credential.updated portal-basic",
    ]);
    expect(new Set(trail.map((t) => `${t.actor_id} ${t.actor_email}`))).toEqual(new Set([`null ${cliActorName()}`]));
    expect(JSON.stringify(await sql`select details from audit_log`)).not.toMatch(/tok_portal|password-/);
  });

  it("parses --header and reads the secret from stdin without its trailing newline", async () => {
    expect(parseHeaderOptions(["a=b=c", "X-Y: z"])).toEqual({ a: "b=c", "X-Y": "z" });
    expect(() => parseHeaderOptions(["novalue"])).toThrow(/name=value/);
    expect(await readSecretFromStdin(Readable.from([Buffer.from("s3cr"), Buffer.from("et\r\n")]))).toBe("s3cret");
    await expect(readSecretFromStdin(Readable.from([Buffer.from("\n")]))).rejects.toThrow(/No secret on stdin/);
  });

  // Through bin/flowport.js once main.ts registers the commands; until then through the same
  // registration on a bare commander program (as main.ts does), so stdin handling is tested end to end.
  const registered = fs.readFileSync(path.join(ROOT, "server/cli/program.ts"), "utf8").includes("registerConnectionCommands");
  const harness = `
    const { Command } = await import("commander");
    const { logToStderr } = await import(${JSON.stringify(path.join(ROOT, "server/log.ts"))});
    const { registerConnectionCommands } = await import(${JSON.stringify(path.join(ROOT, "server/cli/commands/connections.ts"))});
    const program = new Command().name("flowport");
    logToStderr();
    registerConnectionCommands(program);
    await program.parseAsync(process.argv.slice(1), { from: "user" });`;

  function runCli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const argv = registered ? ["bin/flowport.js", ...args] : ["--import", "tsx", "--input-type=module", "-e", harness, ...args];
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: childEnv({ DATABASE_URL: database().url }), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(stdin);
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  }

  it("end to end: `credentials set x --type bearer --json` with the secret on stdin", { timeout: 60_000 }, async () => {
    const secret = "tok_from_stdin_5678";
    const result = await runCli(["credentials", "set", "spawned", "--type", "bearer", "--json"], `${secret}\n`);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { ok: boolean; credential: { name: string; masked: string } };
    expect(answer).toMatchObject({ ok: true, credential: { name: "spawned", masked: "••••5678" } });
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(await resolveCredentialHeaders(database().sql, "spawned", request)).toEqual({ authorization: `Bearer ${secret}` });

    const empty = await runCli(["credentials", "set", "empty", "--type", "bearer"], "");
    expect(empty.code).toBe(2); // VALIDATION_FAILED: exit 2 (flows/app-errors.ts)
    expect(empty.stderr).toContain("No secret on stdin");
  });
});
