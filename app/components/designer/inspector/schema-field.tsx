"use client";

/**
 * One field of a generated node form, chosen from its JSON Schema and its presentation
 * (field-kinds.ts): selects for enums and ERP names, checkboxes, numbers, key/value tables for
 * records, a nested fieldset for objects and a code box for JSONata.
 */
import type { GraphError } from "@/flows/validate-graph";
import { humanize, pickerOptions, presentField, type PickerCatalog } from "./field-kinds";
import { isRecordSchema, isType, withField, type JsonSchema } from "./json-schema";
import { KeyValueEditor } from "./key-value-editor";
import styles from "./inspector.module.css";

export interface FieldContext {
  nodeType: string;
  nodeId: string;
  /** The whole config: pickers read sibling fields (a store's entity lists its key fields). */
  config: Record<string, unknown>;
  catalog: PickerCatalog;
  problems: GraphError[];
  readOnly: boolean;
}

interface Props {
  context: FieldContext;
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  path: string[];
  onChange: (value: unknown) => void;
}

const problemsAt = (problems: GraphError[], path: string[]) =>
  problems.filter((p) => p.path.length >= path.length + 1 && path.every((part, i) => String(p.path[i + 1]) === part));

export function SchemaField({ context, name, schema, required, value, path, onChange }: Props) {
  const presentation = presentField(context.nodeType, name);
  const label = presentation.label ?? schema.title ?? humanize(name);
  const help = presentation.help ?? schema.description;
  const id = `cfg-${context.nodeId}-${path.join("-")}`;
  const errors = problemsAt(context.problems, path).filter((p) => p.path.length === path.length + 1);
  const placeholder = schema.default !== undefined && typeof schema.default !== "object" ? String(schema.default) : undefined;
  const invalid = errors.length > 0 || undefined;

  let control: React.ReactNode;
  if (isType(schema, "object") && schema.properties) {
    const object = (value ?? schema.default ?? {}) as Record<string, unknown>;
    return (
      <fieldset className={styles.fieldset}>
        <legend>{label}</legend>
        {help ? <p className={styles.help}>{help}</p> : null}
        {Object.entries(schema.properties).map(([key, child]) => (
          <SchemaField
            key={key}
            context={context}
            name={key}
            schema={child}
            required={schema.required?.includes(key) ?? false}
            value={object[key]}
            path={[...path, key]}
            onChange={(v) => onChange(withField(object, key, v))}
          />
        ))}
      </fieldset>
    );
  } else if (isRecordSchema(schema)) {
    control = (
      <KeyValueEditor id={id} value={(value ?? {}) as Record<string, unknown>} readOnly={context.readOnly} onChange={(v) => onChange(Object.keys(v).length ? v : undefined)} />
    );
  } else if (isType(schema, "array") && schema.items?.enum) {
    const chosen = new Set(Array.isArray(value) ? (value as unknown[]) : []);
    control = (
      <div className={styles.checks} id={id} role="group" aria-label={label}>
        {schema.items.enum.map((option) => (
          <label key={String(option)} className={styles.check}>
            <input
              type="checkbox"
              disabled={context.readOnly}
              checked={chosen.has(option)}
              onChange={(e) => {
                const next = schema.items!.enum!.filter((o) => (o === option ? e.target.checked : chosen.has(o)));
                onChange(next);
              }}
            />
            {String(option)}
          </label>
        ))}
      </div>
    );
  } else if (schema.enum) {
    control = (
      <select id={id} value={value === undefined ? "" : String(value)} disabled={context.readOnly} aria-invalid={invalid} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
        {!required || value === undefined ? <option value="">{placeholder ? `default (${placeholder})` : "—"}</option> : null}
        {schema.enum.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (schema.const !== undefined) {
    control = <input id={id} value={String(schema.const)} readOnly />;
  } else if (isType(schema, "boolean")) {
    control = (
      <input id={id} type="checkbox" disabled={context.readOnly} checked={value === undefined ? schema.default === true : value === true} onChange={(e) => onChange(e.target.checked)} />
    );
  } else if (isType(schema, "integer") || isType(schema, "number")) {
    control = (
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={schema.minimum}
        max={schema.maximum}
        step={isType(schema, "integer") ? 1 : "any"}
        placeholder={placeholder}
        readOnly={context.readOnly}
        aria-invalid={invalid}
        value={typeof value === "number" ? value : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    );
  } else if (isType(schema, "string") || Array.isArray(schema.type)) {
    const options = presentation.picker ? pickerOptions(presentation.picker, context.config, context.catalog) : undefined;
    const text = value === undefined || value === null ? "" : String(value);
    if (options && options.length > 0) {
      control = (
        <select id={id} value={text} disabled={context.readOnly} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)}>
          <option value="">{required ? "Choose…" : "—"}</option>
          {text !== "" && !options.includes(text) ? <option value={text}>{text} (unknown)</option> : null}
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    } else if (presentation.expression) {
      control = (
        <textarea id={id} className={styles.code} rows={3} spellCheck={false} readOnly={context.readOnly} aria-invalid={invalid} value={text} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      );
    } else {
      control = <input id={id} value={text} placeholder={placeholder} readOnly={context.readOnly} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)} />;
    }
  } else {
    control = (
      <textarea
        id={id}
        className={styles.code}
        rows={3}
        readOnly={context.readOnly}
        defaultValue={value === undefined ? "" : JSON.stringify(value, null, 2)}
        onBlur={(e) => {
          try {
            onChange(e.target.value.trim() === "" ? undefined : JSON.parse(e.target.value));
          } catch {
            /* keep the text; graph validation reports the config as it stands */
          }
        }}
      />
    );
  }

  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
        {required ? <span className={styles.required} aria-label="required"> *</span> : null}
      </label>
      {control}
      {help ? <p className={styles.help}>{help}</p> : null}
      {errors.map((e, i) => (
        <p key={i} className={styles.fieldError} role="alert">
          {e.message}
        </p>
      ))}
    </div>
  );
}
