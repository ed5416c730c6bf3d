/**
 * Designer scenario (issue 6), the part of the live preview's latency on a 1 MiB sample spent in
 * JSONata: the evaluation path the browser's preview worker runs (flows/mapper/preview.ts: compile,
 * evaluate with Flowport's functions, serialize the result for display) in Node, on one core, median
 * of runs. The latency a user sees, keystroke to result, is measured in Chromium by bench/designer.ts;
 * this figure sits beside it as its breakdown. The expression is the seed's mapping with
 * transforms; aggregations over thousands of lines ($sum(lines.qty)) are JSONata's own cost, hundreds
 * of milliseconds at this size, and the preview shows them when they finish (or its 1 s time box).
 */
import { evaluatePreview } from "../flows/mapper/preview";

export interface PreviewBenchResult {
  sampleBytes: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  debounceMs: number;
  targetMs: number;
  meetsTarget: boolean;
}

const TARGET_MS = 200;
const DEBOUNCE_MS = 40;

/** The seed's vendor request with a long list of order lines: about 1 MiB of JSON. */
export function largeSample(bytes = 1024 * 1024): Record<string, unknown> {
  const lines: Record<string, unknown>[] = [];
  const sample: Record<string, unknown> = { vendorName: " ABC Suppliers ", gstNumber: "27ABCDE1234F1Z5", contactPerson: "Ramesh Sharma", mobile: "9876543210", email: "ABC@XYZ.COM", city: "Mumbai", lines };
  let size = JSON.stringify(sample).length;
  for (let i = 0; size < bytes; i++) {
    const line = { lineNo: i + 1, itemCode: `ITEM-${String(i).padStart(6, "0")}`, description: `Cement bag grade ${i % 7} for site ${i % 13}`, qty: (i % 9) + 1, rate: 350 + (i % 50), uom: "BAG", warehouse: `WH-${i % 4}` };
    lines.push(line);
    size += JSON.stringify(line).length + 1;
  }
  return sample;
}

export const PREVIEW_EXPRESSION = `{
  "Vendor_Name": vendorName ~> $trim,
  "GST_No": gstNumber,
  "Contact_Person": contactPerson,
  "Phone_No": mobile,
  "Email": email ~> $lowercase,
  "City": city ~> $uppercase,
  "Lines": $count(lines)
}`;

export async function benchPreview(runs = 25): Promise<PreviewBenchResult> {
  const sample = largeSample();
  const sampleBytes = JSON.stringify(sample).length;
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    // A different expression text each time, as typing makes it (nothing is cached between edits).
    const expression = PREVIEW_EXPRESSION.replace("}", `, "Rev": ${i}\n}`);
    const started = performance.now();
    const result = await evaluatePreview(expression, sample);
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(`preview failed: ${result.error.message}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const medianMs = Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
  const p95Ms = Math.round(times[Math.floor(times.length * 0.95)]! * 10) / 10;
  return { sampleBytes, runs, medianMs, p95Ms, debounceMs: DEBOUNCE_MS, targetMs: TARGET_MS, meetsTarget: medianMs + DEBOUNCE_MS < TARGET_MS };
}

if (process.argv[1]?.endsWith("bench/designer-preview.ts")) {
  process.stdout.write(`${JSON.stringify(await benchPreview(), null, 2)}\n`);
}
