/**
 * Samples as regression tests: each named sample of a flow may carry its expected outcome (status,
 * HTTP status, error code, the record written, the request sent). `runSamples` runs them (dry by
 * default) and says which disagree, for the designer's test panel, the CLI and CI.
 */
import type { FlowFile, FlowSample, SampleExpectation } from "@/flows/format";
import { resolveSample } from "@/flows/samples/generators";
import { compileFlow, type ExecutionPlan } from "./compile";
import { execute, type ExecutionResult } from "./execute";
import type { EngineServices } from "./services";
import type { ExecutionMode } from "./types";

export interface SampleReport {
  sample: string;
  /** False when the sample has no expectation to check. */
  checked: boolean;
  passed: boolean;
  problems: string[];
  result: ExecutionResult;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Differences between what a sample expects and what its run did; empty when they agree. */
export function compareWithExpectation(expect: SampleExpectation, result: ExecutionResult): string[] {
  const problems: string[] = [];
  if (result.outcome !== expect.status) {
    const why = result.errorCode ? ` (${result.errorCode}: ${String(result.response.message)})` : "";
    problems.push(`expected ${expect.status}, got ${result.outcome}${why}`);
  }
  if (expect.httpStatus !== undefined && result.httpStatus !== expect.httpStatus) {
    problems.push(`expected HTTP ${expect.httpStatus}, got ${result.httpStatus}`);
  }
  if (expect.errorCode !== undefined && result.errorCode !== expect.errorCode) {
    problems.push(`expected error code ${expect.errorCode}, got ${result.errorCode ?? "none"}`);
  }
  if (expect.record !== undefined && !jsonEqual(result.record, expect.record)) {
    problems.push(`record differs: expected ${JSON.stringify(expect.record)}, got ${JSON.stringify(result.record)}`);
  }
  if (expect.request !== undefined) {
    const sent = result.requests[0]?.body;
    if (!jsonEqual(sent, expect.request)) problems.push(`request differs: expected ${JSON.stringify(expect.request)}, got ${JSON.stringify(sent)}`);
  }
  return problems;
}

export interface RunSamplesOptions {
  /** Services for each sample; a factory gives every sample a fresh store. */
  services: EngineServices | (() => EngineServices);
  mode?: ExecutionMode;
  /** Only these samples (by name). */
  only?: string[];
}

export async function runSample(plan: ExecutionPlan, written: FlowSample, options: RunSamplesOptions): Promise<SampleReport> {
  // Generators ({{unique}}, {{today}}…) are resolved per run; the expectation sees the same values.
  const { sample } = resolveSample(written);
  const services = typeof options.services === "function" ? options.services() : options.services;
  const result = await execute(plan, sample.payload, { services, mode: options.mode ?? "dry", headers: sample.headers });
  const problems = sample.expect ? compareWithExpectation(sample.expect, result) : [];
  return { sample: sample.name, checked: sample.expect !== undefined, passed: problems.length === 0, problems, result };
}

export async function runSamples(flow: FlowFile | ExecutionPlan, options: RunSamplesOptions): Promise<SampleReport[]> {
  const plan = "nodes" in flow && "info" in flow ? flow : compileFlow(flow);
  const reports: SampleReport[] = [];
  for (const sample of plan.flow.samples) {
    if (options.only && !options.only.includes(sample.name)) continue;
    reports.push(await runSample(plan, sample, options));
  }
  return reports;
}
