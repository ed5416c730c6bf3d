"use client";

/**
 * Return status rules (the seed's §3.6): the HTTP status and message each outcome answers with,
 * beside a preview of the body the caller receives. The previews are this flow's own
 * (flows/answer-previews.ts: its entity and numbering series, its rules' messages, the error table's
 * defaults) rendered by the engine's own renderResponse, so they say what the server says.
 */
import { answerPreviews } from "@/flows/answer-previews";
import { OUTCOMES, type FlowFile, type Outcome, type StatusRules } from "@/flows/format";
import styles from "./inspector.module.css";

const WHEN: Record<Outcome, string> = {
  SUCCESS: "The record was saved (or sent).",
  FAILED: "Validation or a lookup rejected the record.",
  DUPLICATE: "A unique key already exists.",
  ERROR: "Anything unexpected; the cause stays in the log.",
};

interface Props {
  flow: FlowFile;
  rules: StatusRules;
  readOnly: boolean;
  onChange: (rules: StatusRules, fieldKey: string) => void;
}

export function StatusRulesEditor({ flow, rules, readOnly, onChange }: Props) {
  const previews = answerPreviews(flow, rules);
  const patch = (outcome: Outcome, key: "httpStatus" | "message", value: string) => {
    const current = { ...(rules[outcome] as Record<string, unknown>) };
    if (key === "httpStatus") current.httpStatus = Number(value);
    else if (value === "" && outcome === "DUPLICATE") delete current.message;
    else current.message = value;
    onChange({ ...rules, [outcome]: current } as StatusRules, `status.${outcome}.${key}`);
  };
  return (
    <div className={styles.outcomes} aria-label="Return status rules">
      {OUTCOMES.map((outcome) => {
        const rule = rules[outcome] as { httpStatus: number; message?: string };
        const { rendered: preview, source, possible } = previews.find((p) => p.outcome === outcome)!;
        return (
          <div key={outcome} className={styles.outcome}>
            <div className={styles.outcomeHead}>
              <strong>{outcome}</strong> <span className={styles.help}>{WHEN[outcome]}</span>
            </div>
            <div className={styles.inline}>
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
              {outcome === "FAILED" ? (
                <span className={styles.help}>Message and code come from the failing rule.</span>
              ) : (
                <input aria-label={`message for ${outcome}`} readOnly={readOnly} value={rule.message ?? ""} placeholder="from the error" onChange={(e) => patch(outcome, "message", e.target.value)} />
              )}
            </div>
            <pre className={styles.preview} aria-label={`What the caller receives for ${outcome}`}>
              {preview.httpStatus} {JSON.stringify(preview.body)}
            </pre>
            <span className={styles.help} data-testid={`answer-source-${outcome}`}>
              {possible ? `Example from ${source}.` : `This flow never answers ${outcome}: ${source}.`}
            </span>
          </div>
        );
      })}
    </div>
  );
}
