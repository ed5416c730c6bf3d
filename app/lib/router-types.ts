/**
 * What the console's procedures return and take, inferred from the router: the UI declares no
 * copies of server types. Types only (a value import would pull server code into the browser
 * bundle); with the superjson transformer, dates in these types really are Date objects.
 */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
