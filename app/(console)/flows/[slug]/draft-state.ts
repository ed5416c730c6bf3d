/** The draft as flows.get returns it (its dates are Date objects). */
import type { RouterOutputs } from "@/app/lib/router-types";

export type DraftState = RouterOutputs["flows"]["get"];
