import fs from "node:fs";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { postmasterPid, spawnNode, tempDataDir, waitUntil, childEnv } from "../testing/processes";
import { isAlive, startEmbeddedPostgres } from "./embedded-postgres";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    const pid = postmasterPid(dir);
    if (pid) process.kill(pid, "SIGQUIT");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function canQuery(url: string) {
  const sql = postgres(url, { max: 1, connect_timeout: 2 });
  try {
    const [row] = await sql<{ one: number }[]>`select 1 as one`;
    return row?.one === 1;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe("embedded PostgreSQL", () => {
  it("starts a real server, lets guests attach without stopping it, and stops when its owner stops", async () => {
    const dir = tempDataDir("embedded");
    dirs.push(dir);
    const owner = await startEmbeddedPostgres({ dataDir: dir, role: "owner" });
    expect(owner.owned).toBe(true);
    expect(await canQuery(owner.url)).toBe(true);

    const guest = await startEmbeddedPostgres({ dataDir: dir, role: "guest" });
    expect(guest.owned).toBe(false);
    expect(guest.pid).toBe(owner.pid);
    await guest.stop();
    expect(isAlive(owner.pid)).toBe(true);

    await owner.stop();
    expect(isAlive(owner.pid)).toBe(false);
    // The data survives a restart.
    const again = await startEmbeddedPostgres({ dataDir: dir, role: "owner" });
    expect(await canQuery(again.url)).toBe(true);
    await again.stop();
  });

  it("adopts the server a killed process left behind, then stops it", async () => {
    const dir = tempDataDir("orphan");
    dirs.push(dir);
    const holder = spawnNode(["server/testing/fixtures/hold-embedded.ts", dir], childEnv({}));
    await waitUntil(() => holder.output().includes('"pid"'), 60_000, "the fixture to start PostgreSQL");
    const { pid } = JSON.parse(holder.output().trim().split("\n").at(-1)!) as { pid: number };
    holder.child.kill("SIGKILL");
    await holder.exited;
    expect(isAlive(pid)).toBe(true); // orphaned, as after a crash

    const adopted = await startEmbeddedPostgres({ dataDir: dir, role: "owner" });
    expect(adopted.pid).toBe(pid);
    expect(adopted.owned).toBe(true);
    expect(await canQuery(adopted.url)).toBe(true);
    await adopted.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it("explains a data dir the postgres user cannot enter", async () => {
    if (process.getuid?.() !== 0) return; // only root runs PostgreSQL as another user
    const parent = fs.mkdtempSync("/tmp/flowport-closed-"); // 0700
    dirs.push(parent);
    await expect(startEmbeddedPostgres({ dataDir: `${parent}/data`, role: "owner" })).rejects.toThrow(/chmod o\+x/);
  });
});
