// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { FlowError, validationError, type FieldError } from "@/flows/runtime/errors";
import { jsonataBoolean, type CompiledExpression } from "@/flows/runtime/expression";
import type { ExecutionContext, NodeExecutor } from "@/flows/runtime/types";
import { checksAbsentValues, compileFieldPath, compileLocalCheck, isAbsent, type LocalCheck } from "./check";
import type { ValidateConfig } from "./definition";
import { ruleError, ruleName, type ValidationRule } from "./rules";

interface CompiledRule {
  rule: ValidationRule;
  get: (record: unknown) => unknown;
  error: FieldError;
  local?: LocalCheck;
  condition?: CompiledExpression;
  /** Reads the ERP store: unique in an entity, exists in a master. */
  remote?: (value: unknown, ctx: ExecutionContext) => Promise<boolean>;
  allowsAbsent: boolean;
  duplicate: boolean;
}

function remoteCheck(rule: ValidationRule): CompiledRule["remote"] {
  if (rule.rule === "unique") {
    const field = rule.entityField ?? rule.field;
    return async (value, ctx) => !(await ctx.services.records.exists(rule.entity, field, value, { dryRun: ctx.dryRun }));
  }
  if (rule.rule === "exists") {
    return (value, ctx) => ctx.services.records.masterExists(rule.master, value, { field: rule.masterField, dryRun: ctx.dryRun });
  }
  return undefined;
}

/**
 * Checks every rule and reports every failure, in rule order. Store-backed rules (unique, exists)
 * run after the local ones and only for fields that passed them: asking the database whether an
 * invalid GSTIN is taken would cost a query to say nothing new. If the only failures are
 * duplicates the record is a DUPLICATE (409); otherwise it FAILED (400) and the error list puts the
 * invalid fields first (in rule order), so the answer's top-level code is a validation failure's.
 */
export const validateExecutor: NodeExecutor<ValidateConfig> = {
  compile(config, site) {
    const rules: CompiledRule[] = config.rules.map((rule, i) => {
      const { code, message } = ruleError(rule);
      return {
        rule,
        get: compileFieldPath(rule.field),
        error: { field: rule.field, rule: ruleName(rule), code, message },
        local: compileLocalCheck(rule),
        condition: rule.rule === "custom" ? site.expression(rule.condition, ["config", "rules", i, "condition"]) : undefined,
        remote: remoteCheck(rule),
        allowsAbsent: checksAbsentValues(rule),
        duplicate: rule.rule === "unique",
      };
    });
    const hasRemote = rules.some((r) => r.remote);

    return async (input, ctx) => {
      const failed: (FieldError | undefined)[] = new Array(rules.length);
      let failures = 0;
      let failedFields: Set<string> | undefined;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        if (r.remote) continue;
        const value = r.get(input);
        if (!r.allowsAbsent && isAbsent(value)) continue;
        let ok: boolean;
        if (r.local) ok = r.local(value);
        else ok = jsonataBoolean(await r.condition!.evaluate(input, { ...ctx.bindings, value }));
        if (!ok) {
          failed[i] = r.error;
          failures++;
          (failedFields ??= new Set()).add(r.rule.field);
        }
      }
      if (hasRemote) {
        // All at once: on one connection postgres.js pipelines them (one round trip, not one each).
        const checks: Promise<void>[] = [];
        for (let i = 0; i < rules.length; i++) {
          const r = rules[i]!;
          if (!r.remote || failedFields?.has(r.rule.field)) continue;
          const value = r.get(input);
          if (isAbsent(value)) continue;
          checks.push(
            r.remote(value, ctx).then((ok) => {
              if (ok) return;
              failed[i] = r.error;
              failures++;
            }),
          );
        }
        await Promise.all(checks);
      }
      if (failures === 0) return { output: input };

      const invalid: FieldError[] = [];
      const duplicates: FieldError[] = [];
      failed.forEach((e, i) => {
        if (e) (rules[i]!.duplicate ? duplicates : invalid).push(e);
      });
      if (invalid.length === 0) {
        throw new FlowError("DUPLICATE_RECORD", { message: duplicates[0]!.message, fieldErrors: duplicates });
      }
      // Invalid fields first, so the answer's code is a validation failure's, then any duplicates.
      throw validationError([...invalid, ...duplicates]);
    };
  },
};
