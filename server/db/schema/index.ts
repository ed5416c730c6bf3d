/** The whole database schema, one file per domain. drizzle-kit reads this file. */
export * from "./system";
export * from "./flows";
export * from "./records";
export * from "./incoming";
export * from "./clients";
export * from "./outgoing";
export * from "./auth";
