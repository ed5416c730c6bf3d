/**
 * The database a scenario runs on when BENCH_DATABASE_URL names a PostgreSQL server (for example
 * the PG 15 service): a fresh database of its own on that server, created for the scenario and
 * dropped after, so every run starts from the same empty state (the app seeds its demo API key
 * only into an empty database) and no run sees another's rows.
 */
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

export interface FreshDatabase {
  url: string;
  /** "PostgreSQL 15.x (BENCH_DATABASE_URL, fresh database)". */
  label: string;
  /** The postmaster's pid, for CPU figures, when its data directory is readable here (or BENCH_POSTMASTER_PID). */
  pid: number | undefined;
  drop(): Promise<void>;
}

/** A fresh database on BENCH_DATABASE_URL's server; undefined when it is unset (the scenario uses the embedded PostgreSQL). */
export async function benchDatabase(scenario: string): Promise<FreshDatabase | undefined> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) return undefined;
  const name = `flowport_bench_${scenario.replace(/\W/g, "_")}_${process.pid}_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin`create database ${admin(name)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const [version] = await admin<{ v: string }[]>`select current_setting('server_version') as v`;
  let pid: number | undefined;
  try {
    const [dir] = await admin<{ d: string }[]>`select current_setting('data_directory') as d`;
    pid = Number(fs.readFileSync(path.join(dir!.d, "postmaster.pid"), "utf8").split("\n")[0]) || undefined;
  } catch {
    pid = Number(process.env.BENCH_POSTMASTER_PID) || undefined;
  }
  return {
    url: url.toString(),
    label: `PostgreSQL ${version!.v} (BENCH_DATABASE_URL, fresh database)`,
    pid,
    drop: async () => {
      await admin`drop database if exists ${admin(name)} with (force)`;
      await admin.end({ timeout: 2 });
    },
  };
}
