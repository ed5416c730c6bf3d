/**
 * Coalesces the existence lookups an engine step asks in one go into one statement. The validate
 * node starts its unique and exists rules together (vendor-master: GSTIN unique in Vendor, City in
 * the City master); gathered until the current microtask queue drains, key lookups go as one
 * keysExist statement instead of one statement each. A lone lookup, or one by data, runs as before.
 */
import { existenceCheck, keysExist, type ExistenceCheck } from "./store";
import type { Queryable } from "@/server/db/queryable";

interface Pending {
  check: ExistenceCheck;
  resolve: (found: boolean) => void;
  reject: (error: unknown) => void;
}

export function existsBatcher(sql: Queryable): (entity: string, field: string, value: unknown) => Promise<boolean> {
  let pending: Pending[] | undefined;

  function flush() {
    const batch = pending!;
    pending = undefined;
    const byKey = batch.filter((p) => p.check.key);
    const alone = byKey.length > 1 ? batch.filter((p) => !p.check.key) : batch;
    for (const p of alone) p.check.run(sql).then(p.resolve, p.reject);
    if (byKey.length > 1) {
      keysExist(sql, byKey.map((p) => p.check.key!)).then(
        (found) => byKey.forEach((p, i) => p.resolve(found[i]!)),
        (error: unknown) => byKey.forEach((p) => p.reject(error)),
      );
    }
  }

  return (entity, field, value) => {
    // Resolved now: an unknown entity rejects this call alone, as recordExistsByField would.
    let check: ExistenceCheck;
    try {
      check = existenceCheck(entity, field, value);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<boolean>((resolve, reject) => {
      if (!pending) {
        pending = [];
        queueMicrotask(flush);
      }
      pending.push({ check, resolve, reject });
    });
  };
}
