/**
 * Evaluates the live preview off the main thread: a 1 MiB sample or a slow expression never blocks
 * typing. The sample is sent once when it changes; each keystroke sends only the expression.
 */
import { evaluatePreview } from "@/flows/mapper/preview";
import type { PreviewMasters } from "@/flows/mapper/preview-masters";

export type PreviewRequest =
  | { type: "sample"; sample: unknown }
  | { type: "masters"; masters: PreviewMasters | undefined }
  | { type: "evaluate"; id: number; expression: string };

let sample: unknown;
let masters: PreviewMasters | undefined;

// Loading this worker's code can take seconds on a busy machine; the page only times evaluations once it is up.
self.postMessage({ ready: true });

self.onmessage = async (event: MessageEvent<PreviewRequest>) => {
  const message = event.data;
  if (message.type === "sample") {
    sample = message.sample;
    return;
  }
  if (message.type === "masters") {
    masters = message.masters;
    return;
  }
  const result = await evaluatePreview(message.expression, sample, masters);
  self.postMessage({ id: message.id, result });
};
