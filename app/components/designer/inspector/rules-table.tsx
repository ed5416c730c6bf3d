"use client";

/**
 * The validate node's rules as a table shaped like the seed's validation lists: Field | Rule |
 * Parameters | Error code | Message. Empty code and message show the rule's defaults as placeholders
 * (INVALID_GST / "GST number is invalid"), which is what the engine answers with.
 */
import { RULE_KINDS, RULE_LABELS, defaultError, type RuleKind, type ValidationRule } from "@/flows/nodes/validate/rules";
import type { GraphError } from "@/flows/validate-graph";
import { RuleParams, ruleOfKind } from "./rule-params";
import styles from "./inspector.module.css";

type Rule = Record<string, unknown> & { rule: RuleKind; field: string };

interface Props {
  nodeId: string;
  rules: Rule[];
  /** Field names to suggest: the target entity's fields and the mapped targets. */
  fieldSuggestions: string[];
  problems: GraphError[];
  readOnly: boolean;
  onChange: (rules: Rule[], fieldKey: string) => void;
}

function placeholderError(rule: Rule): { code: string; message: string } {
  try {
    return defaultError(rule as unknown as ValidationRule);
  } catch {
    return { code: "ERROR_CODE", message: "message" };
  }
}

export function RulesTable({ nodeId, rules, fieldSuggestions, problems, readOnly, onChange }: Props) {
  const listId = `fields-${nodeId}`;
  const rowProblems = (i: number) => problems.filter((p) => p.path[0] === "config" && p.path[1] === "rules" && p.path[2] === i);
  const update = (i: number, rule: Rule, key: string) => onChange(rules.map((r, j) => (j === i ? rule : r)), `rules.${i}.${key}`);

  return (
    <div className={styles.rules}>
      <datalist id={listId}>
        {fieldSuggestions.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {/* Columns sized for their longest usual content ("Unique in entity", "DUPLICATE_RECORD"); in a
          narrow inspector the table scrolls sideways instead of cutting them. */}
      <div className={styles.rulesScroll}>
        <table className={styles.rulesTable} aria-label="Validation rules">
          <colgroup>
            <col className={styles.colField} />
            <col className={styles.colRule} />
            <col className={styles.colParams} />
            <col className={styles.colCode} />
            <col />
            <col className={styles.colActions} />
          </colgroup>
          <thead>
            <tr>
              <th>Field</th>
              <th>Rule</th>
              <th>Parameters</th>
              <th>Error code</th>
              <th>Message</th>
              <th aria-label="actions" />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule, i) => {
              const fallback = placeholderError(rule);
              const errors = rowProblems(i);
              return (
                <tr key={i} className={errors.length > 0 ? styles.invalidRow : undefined} title={errors.map((e) => e.message).join("\n") || undefined}>
                  <td>
                    <input aria-label={`field of rule ${i + 1}`} list={listId} readOnly={readOnly} value={rule.field} onChange={(e) => update(i, { ...rule, field: e.target.value }, "field")} />
                  </td>
                  <td>
                    <select aria-label={`kind of rule ${i + 1}`} disabled={readOnly} value={rule.rule} onChange={(e) => update(i, ruleOfKind(rule, e.target.value as RuleKind), "rule")}>
                      {RULE_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {RULE_LABELS[k]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <RuleParams rule={rule} index={i} readOnly={readOnly} onChange={(r) => update(i, r, "params")} />
                  </td>
                  <td>
                    <input
                      aria-label={`error code of rule ${i + 1}`}
                      className={styles.mono}
                      placeholder={fallback.code}
                      readOnly={readOnly}
                      value={typeof rule.code === "string" ? rule.code : ""}
                      onChange={(e) => {
                        const { code: _code, ...rest } = rule;
                        update(i, e.target.value === "" ? (rest as Rule) : { ...rule, code: e.target.value.toUpperCase() }, "code");
                      }}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`message of rule ${i + 1}`}
                      placeholder={fallback.message}
                      readOnly={readOnly}
                      value={typeof rule.message === "string" ? rule.message : ""}
                      onChange={(e) => {
                        const { message: _message, ...rest } = rule;
                        update(i, e.target.value === "" ? (rest as Rule) : { ...rule, message: e.target.value }, "message");
                      }}
                    />
                  </td>
                  <td>
                    {!readOnly ? (
                      <button type="button" className={styles.iconButton} aria-label={`remove rule ${i + 1}`} onClick={() => onChange(rules.filter((_, j) => j !== i), "remove")}>
                        ×
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rules.length === 0 ? <p className="muted">No rules yet: every record passes.</p> : null}
      {!readOnly ? (
        <button
          type="button"
          className={styles.smallButton}
          onClick={() => onChange([...rules, { field: fieldSuggestions[0] ?? "", rule: "required" }], "add")}
        >
          + Add rule
        </button>
      ) : null}
    </div>
  );
}
