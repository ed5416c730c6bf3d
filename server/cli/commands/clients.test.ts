import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { verifyIncomingCall } from "@/server/incoming/inbound-auth";
import { useTestDatabase } from "../../testing/database";
import { childEnv, ROOT, spawnNode } from "../../testing/processes";
import { cliActorName } from "@/server/audit/actor";
import { createClientCommand, listClientsCommand, revokeClientCommand, rotateClientCommand, setClientCommand, SHOWN_ONCE_WARNING } from "./clients";

// The CLI child inherits this key through childEnv, so both processes hash tokens alike.
vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();

const verify = (apiKey: string, flowSlug = "vendor-master") =>
  verifyIncomingCall(database().sql, { headers: { "x-api-key": apiKey }, flowSlug, methods: ["api_key"], remoteAddress: "127.0.0.1" });

describe("flowport clients", () => {
  it("create prints the key once with a warning, scoped to no flow until --flows names them (audited as cli:<os user>)", async () => {
    const { sql } = database();
    const answer = await createClientCommand(sql, "cli-demo", {});
    const data = answer.data as { credentials: { token: string; kind: string }[]; client: { flowScopes: string[] }; warning: string };
    expect(data.client.flowScopes).toEqual([]);
    expect(answer.human).toContain("flows: none yet: flowport clients set cli-demo --flows …");
    expect(data.credentials).toHaveLength(1);
    const token = data.credentials[0]!.token;
    expect(token).toMatch(/^fpk_/);
    expect(answer.human).toContain(token);
    expect(answer.human).toContain(SHOWN_ONCE_WARNING);
    expect(data.warning).toBe(SHOWN_ONCE_WARNING);
    await expect(verify(token, "anything")).rejects.toMatchObject({ httpStatus: 403 });
    const [audit] = await sql<{ actor_id: string | null; actor_email: string; details: { flowScopes: string[] } }[]>`
      select actor_id, actor_email, details from audit_log where action = 'client.created' and target = 'cli-demo'`;
    expect(audit).toEqual({ actor_id: null, actor_email: cliActorName(), details: expect.objectContaining({ flowScopes: [] }) });

    // `clients set` changes only what it is given.
    const everything = await setClientCommand(sql, "cli-demo", { flows: "*", rateLimit: "30" });
    expect(everything.data.client).toMatchObject({ flowScopes: ["*"], rateLimitPerMinute: 30 });
    expect(await verify(token, "anything")).toMatchObject({ clientName: "cli-demo" });
    const described = await setClientCommand(sql, "cli-demo", { description: "the ERP" });
    expect(described.data.client).toMatchObject({ flowScopes: ["*"], rateLimitPerMinute: 30, description: "the ERP" });
    expect((await setClientCommand(sql, "cli-demo", { rateLimit: "none" })).data.client).toMatchObject({ flowScopes: ["*"], rateLimitPerMinute: null });
    await expect(setClientCommand(sql, "nobody", { flows: "*" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const updates = await sql<{ details: { changed: string[] } }[]>`select details from audit_log where action = 'client.updated' and target = 'cli-demo' order by id`;
    expect(updates.map((u) => u.details.changed)).toEqual([["flowScopes", "rateLimitPerMinute"], ["description"], ["rateLimitPerMinute"]]);

    const scoped = await createClientCommand(sql, "cli-scoped", {
      flows: "vendor-master, lead-entry",
      both: true,
      signingSecret: true,
      expiresInDays: "7",
      rateLimit: "100",
      allowIp: "10.0.0.0/8",
    });
    const created = scoped.data as { client: Record<string, unknown>; credentials: { kind: string }[]; signingSecret: string };
    expect(created.client).toMatchObject({ flowScopes: ["vendor-master", "lead-entry"], rateLimitPerMinute: 100, ipAllowlist: ["10.0.0.0/8"] });
    expect(created.credentials.map((c) => c.kind)).toEqual(["api_key", "bearer"]);
    expect(scoped.human).toContain(created.signingSecret);

    await expect(createClientCommand(sql, "cli-demo", {})).rejects.toMatchObject({ details: { reason: "CONFLICT" } });
    await expect(createClientCommand(sql, "cli-bad", { expiresInDays: "soon" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("list shows prefixes and status but no secret; revoke and rotate take effect at once", async () => {
    const { sql } = database();
    const created = await createClientCommand(sql, "cli-list", { bearer: true, flows: "*" });
    const token = (created.data as { credentials: { token: string; prefix: string }[] }).credentials[0]!;
    const listed = await listClientsCommand(sql);
    expect(listed.human).toContain(`${token.prefix}_••••`);
    expect(listed.human).not.toContain(token.token);
    expect(JSON.stringify(listed.data)).not.toContain(token.token);

    const rotated = await rotateClientCommand(sql, "cli-list", { overlapHours: "1" });
    expect(rotated.human).toContain(`${token.prefix}_•••• stays valid until`);
    expect((rotated.data as { credentials: { kind: string }[] }).credentials.map((c) => c.kind)).toEqual(["bearer"]);
    await expect(rotateClientCommand(sql, "cli-list", { kind: "password" })).rejects.toThrow(/--kind must be/);

    const keyClient = await createClientCommand(sql, "cli-revoke", { flows: "vendor-master" });
    const key = (keyClient.data as { credentials: { token: string }[] }).credentials[0]!.token;
    await verify(key);
    const revoked = await revokeClientCommand(sql, "cli-revoke");
    expect(revoked.human).toContain("revoked 1 credential(s)");
    await expect(verify(key)).rejects.toMatchObject({ httpStatus: 401, message: "Credential revoked" });
    await expect(revokeClientCommand(sql, "nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  // Runs the real `flowport` binary once; it needs registerClientCommands in the command tree (server/cli/program.ts).
  const registered = fs.readFileSync(path.join(ROOT, "server/cli/program.ts"), "utf8").includes("registerClientCommands");
  it.skipIf(!registered)("end to end: `clients create --json` then `clients list --json` against DATABASE_URL", { timeout: 60_000 }, async () => {
    const env = childEnv({ DATABASE_URL: database().url });
    const runCli = async (...args: string[]) => {
      const spawned = spawnNode(["bin/flowport.js", "clients", ...args], env);
      let stdout = "";
      spawned.child.stdout!.on("data", (d) => (stdout += d));
      const code = await spawned.exited;
      expect(code, spawned.output()).toBe(0);
      return JSON.parse(stdout) as Record<string, unknown>;
    };
    const created = (await runCli("create", "e2e-demo", "--flows", "vendor-master", "--json")) as { credentials: { token: string; prefix: string }[] };
    // The binary audits as cli:<os user>, like the handlers.
    const [audit] = await database().sql<{ actor_email: string }[]>`select actor_email from audit_log where action = 'client.created' and target = 'e2e-demo'`;
    expect(audit?.actor_email).toMatch(/^cli:/);
    const apiKey = created.credentials[0]!;
    expect(await verify(apiKey.token)).toMatchObject({ clientName: "e2e-demo" });

    const listed = (await runCli("list", "--json")) as { clients: { name: string; credentials: { prefix: string }[] }[] };
    const demo = listed.clients.find((c) => c.name === "e2e-demo");
    expect(demo?.credentials.map((c) => c.prefix)).toEqual([apiKey.prefix]);
    expect(JSON.stringify(listed)).not.toContain(apiKey.token);
  });
});
