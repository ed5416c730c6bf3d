/**
 * Samples as regression tests: a flow's sample may carry its expected outcome
 * (status, HTTP status, error code, the mapped record or the request sent). Each
 * is dry-run against the database (in a draft-runner thread) and compared; any difference is a
 * failure, and so is a sample whose run was stopped (DRY_RUN_TIMEOUT…), reported with its code.
 */
import type { Sql } from "postgres";
import type { FlowFile, FlowSample } from "@/flows/format";
import type { ExecutionResult } from "@/server/engine/execute";
import { dryRunInThread } from "@/server/drafts/draft-pool";
import { DraftRunError } from "@/server/drafts/errors";
import { resolveSample, SampleGeneratorError } from "@/flows/samples/generators";

export interface SampleTestResult {
  flow: string;
  sample: string;
  passed: boolean;
  differences: string[];
  outcome: string;
  httpStatus: number;
  errorCode?: string;
}

const canonical = (v: unknown) => JSON.stringify(sortKeys(v));
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export function compareWithExpectation(sample: FlowSample, result: ExecutionResult): string[] {
  const expect = sample.expect;
  if (!expect) return [];
  const diffs: string[] = [];
  if (result.outcome !== expect.status) diffs.push(`status: expected ${expect.status}, got ${result.outcome}`);
  if (expect.httpStatus !== undefined && result.httpStatus !== expect.httpStatus) diffs.push(`httpStatus: expected ${expect.httpStatus}, got ${result.httpStatus}`);
  if (expect.errorCode !== undefined && result.errorCode !== expect.errorCode) diffs.push(`errorCode: expected ${expect.errorCode}, got ${result.errorCode ?? "none"}`);
  if (expect.record !== undefined && canonical(expect.record) !== canonical(result.record)) {
    diffs.push(`record: expected ${canonical(expect.record)}, got ${canonical(result.record)}`);
  }
  if (expect.request !== undefined) {
    const sent = result.requests[0]?.body;
    if (canonical(expect.request) !== canonical(sent)) diffs.push(`request: expected ${canonical(expect.request)}, got ${canonical(sent)}`);
  }
  return diffs;
}

export async function testFlowSamples(sql: Sql, flow: FlowFile, only?: string): Promise<SampleTestResult[]> {
  const results: SampleTestResult[] = [];
  for (const written of flow.samples) {
    if (only !== undefined && written.name !== only) continue;
    // Generators ({{unique}}, {{today}}…) get fresh values on every run, the expectation the same ones.
    let sample: FlowSample;
    try {
      sample = resolveSample(written).sample;
    } catch (error) {
      if (!(error instanceof SampleGeneratorError)) throw error;
      results.push({ flow: flow.slug, sample: written.name, passed: false, differences: [error.message], outcome: "STOPPED", httpStatus: 0, errorCode: "INVALID_REQUEST" });
      continue;
    }
    let result: ExecutionResult;
    try {
      result = await dryRunInThread(sql, flow, sample);
    } catch (error) {
      if (!(error instanceof DraftRunError)) throw error;
      results.push({ flow: flow.slug, sample: sample.name, passed: false, differences: [error.message], outcome: "STOPPED", httpStatus: 0, errorCode: error.code });
      continue;
    }
    const differences = compareWithExpectation(sample, result);
    results.push({
      flow: flow.slug,
      sample: sample.name,
      passed: differences.length === 0,
      differences,
      outcome: result.outcome,
      httpStatus: result.httpStatus,
      errorCode: result.errorCode,
    });
  }
  return results;
}
