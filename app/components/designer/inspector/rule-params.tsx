"use client";

/** The parameters of one validation rule, by kind (pattern, bounds, format preset, entity…). */
import { ENTITIES, findEntity } from "@/flows/erp/entities";
import { FORMAT_PRESETS } from "@/flows/nodes/validate/formats";
import { VALUE_TYPES, type RuleKind } from "@/flows/nodes/validate/rules";
import styles from "./inspector.module.css";

type Rule = Record<string, unknown> & { rule: RuleKind; field: string };

/** A new rule of a kind keeps the field, code and message and starts from usable parameters. */
export function ruleOfKind(previous: Rule, kind: RuleKind): Rule {
  const base: Rule = { field: previous.field, rule: kind };
  if (previous.code !== undefined) base.code = previous.code;
  if (previous.message !== undefined) base.message = previous.message;
  switch (kind) {
    case "type":
      return { ...base, type: "string" };
    case "regex":
      return { ...base, pattern: "^.+$" };
    case "length":
      return { ...base, min: 1 };
    case "range":
      return { ...base, min: 0 };
    case "enum":
      return { ...base, values: [] };
    case "format":
      return { ...base, format: "gstin" };
    case "unique":
      return { ...base, entity: "Vendor" };
    case "exists":
      return { ...base, master: "City" };
    case "custom":
      return { ...base, condition: "$value != null" };
    default:
      return base;
  }
}

const num = (v: string) => (v.trim() === "" ? undefined : Number(v));
const set = (rule: Rule, key: string, value: unknown): Rule => {
  const next = { ...rule };
  if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next;
};

interface Props {
  rule: Rule;
  index: number;
  readOnly: boolean;
  onChange: (rule: Rule) => void;
}

export function RuleParams({ rule, index, readOnly, onChange }: Props) {
  const label = (what: string) => `${what} of rule ${index + 1}`;
  const text = (key: string, placeholder: string, code = false) => (
    <input
      aria-label={label(key)}
      className={code ? styles.mono : undefined}
      placeholder={placeholder}
      readOnly={readOnly}
      value={typeof rule[key] === "string" ? (rule[key] as string) : ""}
      onChange={(e) => onChange(set(rule, key, e.target.value))}
    />
  );
  const number = (key: string) => (
    <input
      aria-label={label(key)}
      type="number"
      placeholder={key}
      readOnly={readOnly}
      value={typeof rule[key] === "number" ? (rule[key] as number) : ""}
      onChange={(e) => onChange(set(rule, key, num(e.target.value)))}
    />
  );
  const select = (key: string, options: readonly string[]) => (
    <select aria-label={label(key)} disabled={readOnly} value={String(rule[key] ?? "")} onChange={(e) => onChange(set(rule, key, e.target.value))}>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );

  switch (rule.rule) {
    case "type":
      return select("type", VALUE_TYPES);
    case "regex":
      return (
        <div className={styles.inline}>
          {text("pattern", "^[0-9]{6}$", true)}
          {text("flags", "flags")}
        </div>
      );
    case "length":
    case "range":
      return (
        <div className={styles.inline}>
          {number("min")}
          {number("max")}
        </div>
      );
    case "enum":
      return (
        <input
          aria-label={label("values")}
          placeholder="comma-separated values"
          readOnly={readOnly}
          value={Array.isArray(rule.values) ? (rule.values as unknown[]).join(", ") : ""}
          onChange={(e) =>
            onChange({ ...rule, values: e.target.value.split(",").map((v) => v.trim()).filter((v) => v !== "") })
          }
        />
      );
    case "format":
      return select("format", FORMAT_PRESETS);
    case "unique": {
      const fields = findEntity(String(rule.entity ?? ""))?.fields.map((f) => f.name) ?? [];
      return (
        <div className={styles.inline}>
          {select("entity", ENTITIES.filter((e) => e.kind === "record").map((e) => e.name))}
          <select aria-label={label("entityField")} disabled={readOnly} value={String(rule.entityField ?? "")} onChange={(e) => onChange(set(rule, "entityField", e.target.value))}>
            <option value="">same field</option>
            {fields.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </div>
      );
    }
    case "exists":
      return select("master", ENTITIES.map((e) => e.name));
    case "custom":
      return text("condition", "$value > 0", true);
    default:
      return <span className="muted">—</span>;
  }
}
