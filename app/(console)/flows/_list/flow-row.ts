/** A flows-list row as the flows.list procedure returns it (its dates are Date objects). */
import type { RouterOutputs } from "@/app/lib/router-types";

export type FlowListRow = RouterOutputs["flows"]["list"][number];

export type FlowState = "unpublished" | "draft changes" | "published" | "inactive";

export function flowState(row: Pick<FlowListRow, "active" | "publishedVersion" | "hasDraftChanges">): FlowState {
  if (!row.active) return "inactive";
  if (row.publishedVersion === null) return "unpublished";
  return row.hasDraftChanges ? "draft changes" : "published";
}

/** "3 min ago", "yesterday 14:05", or a date for older runs. */
export function relativeTime(at: Date, now = new Date()): string {
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400 && at.getDate() === now.getDate()) return `${Math.round(seconds / 3600)} h ago`;
  return at.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}
