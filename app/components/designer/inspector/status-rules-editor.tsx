"use client";

/**
 * Return status rules (the seed's §3.6): the HTTP status and message each outcome answers with,
 * beside a preview of the body the caller receives, rendered by the engine's own renderResponse.
 */
import { OUTCOMES, type Outcome, type StatusRules } from "@/flows/format";
import { renderResponse } from "@/flows/status-rules";
import styles from "./inspector.module.css";

const EXAMPLES: Record<Outcome, Parameters<typeof renderResponse>[1]> = {
  SUCCESS: { outcome: "SUCCESS", recordId: "VEND-1023" },
  FAILED: { outcome: "FAILED", errorCode: "INVALID_GST", message: "GST number is invalid" },
  DUPLICATE: { outcome: "DUPLICATE", errorCode: "DUPLICATE_RECORD", message: "A vendor with this GST number already exists" },
  ERROR: { outcome: "ERROR" },
};

const WHEN: Record<Outcome, string> = {
  SUCCESS: "The record was saved (or sent).",
  FAILED: "Validation or a lookup rejected the record.",
  DUPLICATE: "A unique key already exists.",
  ERROR: "Anything unexpected; the cause stays in the log.",
};

interface Props {
  rules: StatusRules;
  readOnly: boolean;
  onChange: (rules: StatusRules, fieldKey: string) => void;
}

export function StatusRulesEditor({ rules, readOnly, onChange }: Props) {
  const patch = (outcome: Outcome, key: "httpStatus" | "message", value: string) => {
    const current = { ...(rules[outcome] as Record<string, unknown>) };
    if (key === "httpStatus") current.httpStatus = Number(value);
    else if (value === "" && outcome === "DUPLICATE") delete current.message;
    else current.message = value;
    onChange({ ...rules, [outcome]: current } as StatusRules, `status.${outcome}.${key}`);
  };
  return (
    <table className={styles.rulesTable} aria-label="Return status rules">
      <thead>
        <tr>
          <th>Outcome</th>
          <th>HTTP</th>
          <th>Message</th>
          <th>Caller receives</th>
        </tr>
      </thead>
      <tbody>
        {OUTCOMES.map((outcome) => {
          const rule = rules[outcome] as { httpStatus: number; message?: string };
          const preview = renderResponse(rules, EXAMPLES[outcome]);
          return (
            <tr key={outcome}>
              <td>
                <strong>{outcome}</strong>
                <div className={styles.help}>{WHEN[outcome]}</div>
              </td>
              <td>
                <input
                  aria-label={`HTTP status for ${outcome}`}
                  type="number"
                  min={100}
                  max={599}
                  readOnly={readOnly}
                  className={styles.status}
                  value={rule.httpStatus}
                  onChange={(e) => patch(outcome, "httpStatus", e.target.value)}
                />
              </td>
              <td>
                {outcome === "FAILED" ? (
                  <span className="muted">from the failing rule</span>
                ) : (
                  <input aria-label={`message for ${outcome}`} readOnly={readOnly} value={rule.message ?? ""} placeholder="from the error" onChange={(e) => patch(outcome, "message", e.target.value)} />
                )}
              </td>
              <td>
                <pre className={styles.preview}>
                  {preview.httpStatus} {JSON.stringify(preview.body)}
                </pre>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
