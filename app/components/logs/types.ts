/** Router outputs as the console sees them (types only; nothing from server/ reaches the bundle). */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>;
export type ExecutionRow = Outputs["logs"]["list"]["items"][number];
export type ExecutionDetail = Outputs["logs"]["get"];
export type ReplayOutcome = Outputs["logs"]["replay"];
export type FailedDeliveryRow = Outputs["failedQueue"]["list"]["items"][number];
export type DashboardData = Outputs["dashboard"]["get"];
