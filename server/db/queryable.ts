/**
 * The database handle every query function takes: the pool or a transaction, so the caller decides
 * whether the work runs inside one (an incoming call commits its record with its log row).
 */
import type { Sql, TransactionSql } from "postgres";

export type Queryable = Sql | TransactionSql;
