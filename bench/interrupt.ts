/**
 * Interrupted (Ctrl-C, `timeout`): exit normally so the scenarios' exit hooks stop
 * their temporary PostgreSQL servers and child processes instead of leaving them behind.
 */
export function exitOnInterrupt(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
}
