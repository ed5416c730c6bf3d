/** The demo ERP data is pure and lives with the executor contract (flows/runtime/testing). */
export * from "@/flows/runtime/testing/fixtures";
