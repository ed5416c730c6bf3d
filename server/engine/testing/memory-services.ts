/** The in-memory ERP and outside world is pure and lives with the executor contract (flows/runtime/testing). */
export * from "@/flows/runtime/testing/memory-services";
