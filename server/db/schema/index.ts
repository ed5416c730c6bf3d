/** The whole database schema, one file per domain. drizzle-kit reads this file. */
export * from "./system";
