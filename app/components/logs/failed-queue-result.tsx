"use client";
/**
 * The Failed Queue's result message (issue 17): every action says what it did, so a row that
 * leaves the queue never just vanishes. A retry is queued, then delivered by the worker: the
 * message follows the deliveries for a while ("Retried 1 delivery: queued" → "… delivered").
 */
import { skipToken, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/lib/trpc";

export type QueueAction =
  | { kind: "retry"; asked: number; ids: string[]; edited?: boolean; label?: string }
  | { kind: "discard"; asked: number; ids: string[] };

/** How long the message keeps asking where retried deliveries stand. */
const FOLLOW_MS = 30_000;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const OUTCOME_WORDS: Record<string, string> = {
  pending: "queued",
  delivering: "delivering",
  succeeded: "delivered",
  failed: "failed again",
  discarded: "discarded",
};

export function QueueResult({ action, since, onDismiss }: { action: QueueAction; since: number; onDismiss: () => void }) {
  const trpc = useTRPC();
  const follow = action.kind === "retry" && action.ids.length > 0;
  const outcomes = useQuery({
    ...trpc.failedQueue.outcomes.queryOptions(follow ? { ids: action.ids } : skipToken),
    refetchInterval: (q) => (q.state.data?.every((o) => o.settled) || Date.now() - since > FOLLOW_MS ? false : 1_000),
  });
  const skipped = action.asked - action.ids.length;
  let text: string;
  let tone = "ok";
  if (action.kind === "discard") {
    text = `Discarded ${plural(action.ids.length, "delivery", "deliveries")}.`;
  } else {
    const what = action.edited ? `Saved the edited payload and retried ${action.label ?? "the delivery"}` : `Retried ${plural(action.ids.length, "delivery", "deliveries")}`;
    const counts = new Map<string, number>();
    for (const o of outcomes.data ?? []) counts.set(OUTCOME_WORDS[o.status] ?? o.status, (counts.get(OUTCOME_WORDS[o.status] ?? o.status) ?? 0) + 1);
    const states = counts.size === 0 ? "queued" : [...counts].map(([word, n]) => (counts.size === 1 && n === action.ids.length ? word : `${n} ${word}`)).join(", ");
    if (counts.has("failed again")) tone = "bad";
    else if (!counts.has("delivered") || counts.size > 1) tone = "info";
    text = `${what}: ${states}.`;
    const failed = (outcomes.data ?? []).find((o) => o.status === "failed");
    if (failed) text += ` Last error: ${failed.lastHttpStatus ? `HTTP ${failed.lastHttpStatus} ` : ""}${failed.lastErrorCode ?? ""}`.trimEnd();
  }
  if (skipped > 0) text += ` ${plural(skipped, "delivery was", "deliveries were")} no longer in the queue.`;
  return (
    <div className={`queue-result tone-${tone}`} role="status" data-testid="queue-result">
      <span>{text}</span>
      <button type="button" className="dismiss" aria-label="Dismiss the message" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
