/** The FlowError family is part of the executor contract and lives in flows/runtime/errors.ts. */
export * from "@/flows/runtime/errors";
