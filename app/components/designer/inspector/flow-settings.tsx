"use client";

/** What the inspector shows with no node selected: the flow's own settings and flow-wide problems. */
import type { FlowFile, FlowOptions } from "@/flows/format";
import type { GraphError } from "@/flows/validate-graph";
import { StatusRulesEditor } from "./status-rules-editor";
import { ProblemList } from "./problem-list";
import styles from "./inspector.module.css";

interface Props {
  flow: FlowFile;
  problems: GraphError[];
  readOnly: boolean;
  onChange: (flow: FlowFile, coalesce: string) => void;
}

type SwitchOption = Exclude<keyof FlowOptions, "redactFields" | "order" | "orderKey">;

const OPTION_LABELS: Record<SwitchOption, { label: string; help: string; direction?: "incoming" | "outgoing" }> = {
  batchAllOrNothing: { label: "Batch: all or nothing", help: "Reject every item of a batch when one fails.", direction: "incoming" },
  failedQueue: { label: "Failed Queue", help: "Park deliveries that ran out of attempts for retry.", direction: "outgoing" },
  logPayloads: { label: "Log payloads", help: "Keep request and per-node payloads in the execution log (secrets are always redacted)." },
};

/** The comma-separated names, or none at all (the option stays out of the flow file when empty). */
function redactFieldsOf(text: string): string[] | undefined {
  const fields = [...new Set(text.split(",").map((f) => f.trim()).filter(Boolean))];
  return fields.length > 0 ? fields : undefined;
}

export function FlowSettings({ flow, problems, readOnly, onChange }: Props) {
  const flowProblems = problems.filter((p) => p.nodeId === null);
  return (
    <div className={styles.inspector} aria-label="Flow settings">
      <header className={styles.header}>
        <div>
          <div className={styles.kicker}>
            {flow.direction} flow · <code>{flow.slug}</code>
          </div>
          <input aria-label="Flow name" className={styles.nameInput} value={flow.name} readOnly={readOnly} onChange={(e) => onChange({ ...flow, name: e.target.value }, "flow:name")} />
        </div>
      </header>
      <p className={styles.help}>Select a node to configure it. Drag nodes from the palette; connect them by dragging from a node&apos;s right handle to another&apos;s left.</p>
      <ProblemList problems={flowProblems} />
      <section className={styles.section}>
        <div className={styles.field}>
          <label htmlFor="flow-description" className={styles.label}>
            Description
          </label>
          <textarea id="flow-description" rows={3} readOnly={readOnly} value={flow.description} onChange={(e) => onChange({ ...flow, description: e.target.value }, "flow:description")} />
        </div>
        {(Object.keys(OPTION_LABELS) as SwitchOption[])
          .filter((key) => !OPTION_LABELS[key].direction || OPTION_LABELS[key].direction === flow.direction)
          .map((key) => (
            <label key={key} className={styles.check}>
              <input
                type="checkbox"
                disabled={readOnly}
                checked={flow.options[key]}
                onChange={(e) => onChange({ ...flow, options: { ...flow.options, [key]: e.target.checked } }, `flow:option:${key}`)}
              />
              <span>
                {OPTION_LABELS[key].label} <span className={styles.help}>— {OPTION_LABELS[key].help}</span>
              </span>
            </label>
          ))}
        {flow.direction === "outgoing" && (
          <label className={styles.check}>
            <input
              type="checkbox"
              disabled={readOnly}
              checked={flow.options.order === "per-record"}
              onChange={(e) => {
                // Unticked, the order key goes too: it means nothing without the order.
                const { order: _order, orderKey: _orderKey, ...rest } = flow.options;
                onChange({ ...flow, options: e.target.checked ? { ...rest, order: "per-record" } : rest }, "flow:option:order");
              }}
            />
            <span>
              Order per record <span className={styles.help}>— Send a record&apos;s deliveries one at a time, in event order; a failing one holds those behind it.</span>
            </span>
          </label>
        )}
        {flow.direction === "outgoing" && flow.options.order === "per-record" && (
          <div className={styles.field}>
            <label htmlFor="flow-order-key" className={styles.label}>
              Order key
            </label>
            <input
              id="flow-order-key"
              key={flow.options.orderKey ?? ""}
              readOnly={readOnly}
              placeholder="record.Vendor_Code"
              defaultValue={flow.options.orderKey ?? ""}
              onBlur={(e) => {
                const { orderKey: _orderKey, ...rest } = flow.options;
                const text = e.target.value.trim();
                onChange({ ...flow, options: text ? { ...rest, orderKey: text } : rest }, "flow:option:orderKey");
              }}
            />
            <span className={styles.help}>
              A JSONata expression over the event (entity, event, recordId, status, record): deliveries with the same value go one at a time, in event order. Empty: the record.
            </span>
          </div>
        )}
        <div className={styles.field}>
          <label htmlFor="flow-redact-fields" className={styles.label}>
            Redact fields
          </label>
          <input
            id="flow-redact-fields"
            key={(flow.options.redactFields ?? []).join(",")}
            readOnly={readOnly}
            placeholder="Aadhaar_No, PAN_No"
            defaultValue={(flow.options.redactFields ?? []).join(", ")}
            onBlur={(e) => onChange({ ...flow, options: { ...flow.options, redactFields: redactFieldsOf(e.target.value) } }, "flow:option:redactFields")}
          />
          <span className={styles.help}>Header or body fields (any depth) replaced with [redacted] in the execution log, besides every token, secret, key, password, auth, cookie, session or signature field, which always are.</span>
        </div>
      </section>
      {flow.direction === "incoming" ? (
        <section className={styles.section}>
          <h3>Return status rules</h3>
          <StatusRulesEditor flow={flow} rules={flow.statusRules} readOnly={readOnly} onChange={(statusRules, key) => onChange({ ...flow, statusRules }, key)} />
        </section>
      ) : null}
    </div>
  );
}
