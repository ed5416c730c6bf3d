/**
 * CPU time of processes, from /proc (Linux): on a machine shared with other work,
 * requests per second swing with the neighbours' load, while CPU milliseconds per
 * request (app, PostgreSQL) stay comparable between runs and against the baseline.
 */
import fs from "node:fs";

/** utime + stime of a process in ms (0 when it is gone or /proc is unavailable). */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** CPU of a process and every process it started (except `skip`), in ms. */
function withChildrenCpuMs(parent: number | undefined, skip?: number): number {
  if (parent === undefined) return 0;
  let total = cpuMs(parent);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === skip) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      if (ppid === parent) total += cpuMs(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** CPU of a PostgreSQL postmaster and every backend it forked, in ms. */
export function postgresCpuMs(postmaster: number | undefined): number {
  return withChildrenCpuMs(postmaster);
}

/**
 * CPU of the app: under `npm start`'s supervisor that is the supervisor plus its web and worker
 * processes; the embedded PostgreSQL it started is counted apart (postgresCpuMs).
 */
export function appCpuMs(app: number | undefined, postmaster?: number): number {
  return withChildrenCpuMs(app, postmaster);
}

/** Starts counting; the returned function gives CPU ms per unit of work done since. */
export function cpuMeter(pids: { app?: number; postmaster?: number }) {
  const app0 = appCpuMs(pids.app, pids.postmaster);
  const pg0 = postgresCpuMs(pids.postmaster);
  return (units: number) => ({
    appMsPerUnit: Math.round(((appCpuMs(pids.app, pids.postmaster) - app0) / Math.max(units, 1)) * 1000) / 1000,
    postgresMsPerUnit: Math.round(((postgresCpuMs(pids.postmaster) - pg0) / Math.max(units, 1)) * 1000) / 1000,
  });
}
