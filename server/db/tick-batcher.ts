/**
 * Gathers the calls made during one turn of the event loop and hands them to `flush` together.
 * Work that arrives at the same moment from independent callers (jobs a worker runs side by side)
 * then costs one statement, one socket write and one commit instead of one each: on a busy worker
 * those per-call costs were most of PostgreSQL's CPU. A lone call waits one setImmediate, no more.
 *
 * `flush` answers each item in order: a value, or an error for that item alone.
 */
export type ItemResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

export function tickBatcher<I, O>(flush: (items: I[]) => Promise<ItemResult<O>[]>): (item: I) => Promise<O> {
  let pending: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] | undefined;

  const run = async () => {
    const batch = pending!;
    pending = undefined;
    let results: ItemResult<O>[];
    try {
      results = await flush(batch.map((p) => p.item));
    } catch (error) {
      results = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((p, i) => {
      const result = results[i] ?? { ok: false, error: new Error("tickBatcher: flush answered fewer items than it was given") };
      if (result.ok) p.resolve(result.value);
      else p.reject(result.error);
    });
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (!pending) {
        pending = [];
        setImmediate(() => void run());
      }
      pending.push({ item, resolve, reject });
    });
}

/** Runs `one` for each item on its own, keeping each outcome: the fallback when a shared attempt failed. */
export async function eachAlone<I, O>(items: I[], one: (item: I) => Promise<O>): Promise<ItemResult<O>[]> {
  return Promise.all(items.map((item) => one(item).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }))));
}
