/** The draft as flows.get returns it (dates may arrive as strings over JSON). */
import type { FlowFile } from "@/flows/format";

export interface DraftState {
  flow: FlowFile;
  draftRevision: number;
  draftUpdatedBy: string | null;
  updatedAt: Date | string;
  active: boolean;
  publishedVersion: number | null;
  latestVersion: number;
  hasDraftChanges: boolean;
}
