/**
 * The database handle every query function takes: the pool or a transaction, so the caller decides
 * whether the work runs inside one (an incoming call commits its record with its log row).
 */
import type { Sql, TransactionSql } from "postgres";

export type Queryable = Sql | TransactionSql;

/** Runs `fn` in a transaction, or in a savepoint when the caller already holds one (a domain operation, seeding). */
export function inTransaction<T>(sql: Queryable, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return ("savepoint" in sql ? (sql as TransactionSql).savepoint(fn) : (sql as Sql).begin(fn)) as Promise<T>;
}
