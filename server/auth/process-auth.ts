/**
 * The process-wide better-auth handle, kept apart from better-auth itself so the
 * CLI and the launcher can close it without loading the library (which costs
 * start-up time in every CLI command that never signs anyone in).
 */
const KEY = Symbol.for("flowport.auth");

interface Closable {
  close(): Promise<void>;
}
type Holder = typeof globalThis & { [KEY]?: Promise<Closable> };

/** The handle, built by `build` on first use; Next's bundle and the launcher share it through globalThis. */
export function processAuth<T extends Closable>(build: () => Promise<T>): Promise<T> {
  const holder = globalThis as Holder;
  holder[KEY] ??= build();
  return holder[KEY] as Promise<T>;
}

/** Closes the process's auth connections if they were opened. */
export async function closeAuth(): Promise<void> {
  const holder = globalThis as Holder;
  const handle = holder[KEY];
  holder[KEY] = undefined;
  if (handle) await (await handle).close();
}
