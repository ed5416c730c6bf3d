/**
 * `flowport flows …`: flow files in git and drafts, versions and dry runs in the database. Publish
 * and rollback and import are the console's own domain operations (server/flows/publish-flow.ts,
 * rollback-flow.ts, flow-actions.ts), run as `cli:<os user>`: the same checks, the same audit rows.
 */
import fs from "node:fs";
import type { Command } from "commander";
import type { Sql } from "postgres";
import { parseFlow, type FlowFile, type FlowSample } from "@/flows/format";
import { cliActor, type Actor } from "../../audit/actor";
import { FlowError } from "../../engine/errors";
import { dryRunInThread } from "../../drafts/draft-pool";
import { readFlowFiles, writeFlowFile } from "../../flows/files";
import { publishFlow } from "../../flows/publish-flow";
import { importFlowFiles } from "../../flows/flow-actions";
import { checkFlow, exportFlow, listFlows } from "../../flows/repository";
import { rollbackFlow } from "../../flows/rollback-flow";
import { testFlowSamples, type SampleTestResult } from "../../flows/sample-tests";
import { resolveSample as resolveSampleGenerators, SampleGeneratorError, type GeneratedValue } from "@/flows/samples/generators";
import { AppError } from "../../errors/app-error";
import { fail, print } from "../output";
import { runCommand as run, type CommandAnswer } from "../run-command";
import { withDatabase } from "../with-database";

type Json = { json?: boolean };

/** A slug in the database, or a path to a flow file. */
async function resolveFlow(sql: Parameters<typeof exportFlow>[0], target: string): Promise<FlowFile> {
  if (target.endsWith(".json") || fs.existsSync(target)) return readFlowFiles(target)[0]!.flow;
  return exportFlow(sql, target);
}

/** The sample by name or file, its generators ({{unique}}, {{today}}…) given this run's values. */
function resolveSample(flow: FlowFile, sample: string): { sample: FlowSample; generated: GeneratedValue[] } {
  const resolve = (s: FlowSample) => {
    try {
      return resolveSampleGenerators(s);
    } catch (error) {
      if (error instanceof SampleGeneratorError) throw new AppError("INVALID_REQUEST", { message: `Sample "${s.name}": ${error.message}` });
      throw error;
    }
  };
  const named = flow.samples.find((s) => s.name === sample);
  if (named) return resolve(named);
  if (fs.existsSync(sample)) return resolve({ name: sample, payload: JSON.parse(fs.readFileSync(sample, "utf8")) as FlowSample["payload"] });
  throw new Error(`Flow "${flow.slug}" has no sample "${sample}" (samples: ${flow.samples.map((s) => s.name).join(", ") || "none"}), and no such file`);
}

export function registerFlowCommands(program: Command) {
  const flows = program.command("flows").description("flow files, drafts, versions and dry runs");

  flows
    .command("validate <file>")
    .description("check a flow file: format, graph and node configuration")
    .option("--json", "print the result as JSON")
    .action(async (file: string, options: Json) => {
      try {
        const results = readFlowFiles(file).map(({ file: f, flow }) => ({ file: f, slug: flow.slug, errors: checkFlow(flow) }));
        const ok = results.every((r) => r.errors.length === 0);
        print(options, { ok, results }, () =>
          results
            .map((r) => (r.errors.length === 0 ? `✓ ${r.file}` : `✗ ${r.file}\n${r.errors.map((e) => `    ${e.nodeId ?? "flow"} ${e.path.join(".")}: ${e.message} [${e.code}]`).join("\n")}`))
            .join("\n"),
        );
        if (!ok) process.exitCode = 1;
      } catch (error) {
        fail(options, error);
      }
    });

  flows
    .command("import <fileOrDir>")
    .description("save flow files as drafts (creating flows that are new)")
    .option("--publish", "publish each imported draft")
    .option("--json", "print the result as JSON")
    .action((target: string, options: Json & { publish?: boolean }) => run(options, (sql) => importCommand(sql, readFlowFiles(target).map((f) => f.flow), options)));

  flows
    .command("export [slug]")
    .description("write drafts as flow files (all flows when no slug)")
    .option("--out <dir>", "folder to write into (prints to stdout without it)")
    .option("--version <n>", "a published version instead of the draft", (v) => Number(v))
    .option("--json", "print the result as JSON")
    .action(async (slug: string | undefined, options: Json & { out?: string; version?: number }) => {
      try {
        const exported = await withDatabase(async ({ sql }) => {
          const slugs = slug ? [slug] : (await listFlows(sql)).map((f) => f.slug);
          return Promise.all(slugs.map((s) => exportFlow(sql, s, { version: options.version })));
        });
        if (options.out) {
          const files = exported.map((f) => writeFlowFile(options.out!, f));
          print(options, { ok: true, files }, () => files.map((f) => `wrote ${f}`).join("\n"));
        } else {
          process.stdout.write(`${JSON.stringify(exported.length === 1 ? exported[0] : exported, null, 2)}\n`);
        }
      } catch (error) {
        fail(options, error);
      }
    });

  flows
    .command("list")
    .description("every flow with its published version and state")
    .option("--json", "print the result as JSON")
    .action(async (options: Json) => {
      try {
        const list = await withDatabase(({ sql }) => listFlows(sql));
        print(options, list, () =>
          list
            .map((f) => `${f.slug.padEnd(28)} ${f.direction.padEnd(9)} ${f.publishedVersion ? `v${f.publishedVersion}` : "unpublished"}${f.hasDraftChanges ? " (draft changes)" : ""}${f.active ? "" : " inactive"}`)
            .join("\n") || "No flows.",
        );
      } catch (error) {
        fail(options, error);
      }
    });

  flows
    .command("publish <slug>")
    .description("publish the draft as the next immutable version")
    .option("--note <text>", "what changed, shown in the versions list")
    .option("--json", "print the result as JSON")
    .action((slug: string, options: Json & { note?: string }) => run(options, (sql) => publishCommand(sql, slug, options)));

  flows
    .command("rollback <slug> <version>")
    .description("run an older published version again; the draft becomes that version")
    .option("--note <text>", "why, for the audit log")
    .option("--json", "print the result as JSON")
    .action((slug: string, version: string, options: Json & { note?: string }) => run(options, (sql) => rollbackCommand(sql, slug, version, options)));

  flows
    .command("test [slugOrFile]")
    .description("dry-run a flow on a sample (nothing is saved) or, with --all, check every sample's expected outcome")
    .option("--sample <nameOrFile>", "a sample's name, or a JSON file with the payload")
    .option("--all", "run every sample of every flow (or of the given file/folder) and fail on any difference")
    .option("--json", "print the result as JSON")
    .action(async (target: string | undefined, options: Json & { sample?: string; all?: boolean }) => {
      try {
        if (options.all) {
          const results = await withDatabase(async ({ sql }) => {
            const flowsToTest = target && fs.existsSync(target) ? readFlowFiles(target).map((f) => f.flow) : await allDrafts(sql, target);
            const out: SampleTestResult[] = [];
            for (const flow of flowsToTest) out.push(...(await testFlowSamples(sql, flow)));
            return out;
          });
          const failed = results.filter((r) => !r.passed);
          print(options, { ok: failed.length === 0, passed: results.length - failed.length, failed: failed.length, results }, () =>
            [
              ...results.map((r) => `${r.passed ? "✓" : "✗"} ${r.flow} › ${r.sample} (${r.outcome === "STOPPED" ? r.errorCode : `${r.outcome} ${r.httpStatus}`})${r.differences.map((d) => `\n    ${d}`).join("")}`),
              `${results.length - failed.length} passed, ${failed.length} failed`,
            ].join("\n"),
          );
          if (failed.length > 0) process.exitCode = 1;
          return;
        }
        if (!target || !options.sample) throw new Error("Give a flow and --sample, or use --all");
        const result = await withDatabase(async ({ sql }) => {
          const flow = await resolveFlow(sql, target);
          const { sample, generated } = resolveSample(flow, options.sample!);
          return { ...(await dryRunInThread(sql, flow, sample)), ...(generated.length > 0 ? { generated } : {}) };
        });
        print(options, result, () =>
          [
            `${result.outcome} → HTTP ${result.httpStatus} (dry run, nothing saved)`,
            ...(result.generated ?? []).map((g) => `generated ${g.path}: ${g.text} → ${g.value}`),
            JSON.stringify(result.response, null, 2),
            result.record ? `record:\n${JSON.stringify(result.record, null, 2)}` : undefined,
            ...result.requests.map((r) => `would send ${r.method} ${r.connection}${r.path}\n${JSON.stringify(r.body, null, 2)}`),
            "trace:",
            ...result.trace.map((t) => `  ${t.status.padEnd(7)} ${t.nodeId.padEnd(14)} ${(t.durationUs / 1000).toFixed(2)} ms${t.error ? `  ${t.error.code}: ${t.error.message}` : ""}`),
          ]
            .filter((l) => l !== undefined)
            .join("\n"),
        );
      } catch (error) {
        fail(options, error);
      }
    });
}

/**
 * Saves each file as its flow's draft and (--publish) publishes it as the CLI's OS user, with the
 * console's checks and audit rows (server/flows/flow-actions.ts, publish-flow.ts).
 */
export async function importCommand(sql: Sql, files: FlowFile[], options: { publish?: boolean }, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const flows = await importFlowFiles(sql, { files, publish: options.publish }, actor);
  return {
    data: { ok: true, flows },
    human: flows.map((r) => `${r.created ? "created" : "updated"} ${r.slug}${r.publishedVersion ? ` (published v${r.publishedVersion})` : ""}`).join("\n"),
  };
}

export async function publishCommand(sql: Sql, slug: string, options: { note?: string }, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const result = await publishFlow(sql, { slug, note: options.note }, actor);
  return { data: { ok: true, ...result }, human: result.unchanged ? `${slug}: nothing to publish, v${result.version} is already the draft` : `${slug}: published v${result.version}` };
}

export async function rollbackCommand(sql: Sql, slug: string, version: string, options: { note?: string }, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const number = Number(version);
  if (!Number.isInteger(number) || number < 1) throw new FlowError("VALIDATION_FAILED", { message: `Not a version number: "${version}"`, details: { version } });
  const result = await rollbackFlow(sql, { slug, version: number, note: options.note }, actor);
  return { data: { ok: true, ...result }, human: `${slug}: v${result.version} runs again (was ${result.previousVersion === null ? "unpublished" : `v${result.previousVersion}`}); the draft is v${result.version}` };
}

async function allDrafts(sql: Parameters<typeof exportFlow>[0], slug?: string): Promise<FlowFile[]> {
  const slugs = slug ? [slug] : (await listFlows(sql)).map((f) => f.slug);
  return Promise.all(slugs.map(async (s) => parseFlow(await exportFlow(sql, s))));
}
