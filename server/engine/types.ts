/** The executor contract lives in flows/runtime/types.ts (node types import only flows/); the engine hosts it. */
export * from "@/flows/runtime/types";
