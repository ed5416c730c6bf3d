"use client";

/**
 * The form generated from a node type's config schema. A discriminated union (auth: incoming or
 * outgoing) shows its discriminator first and the chosen branch's fields after it.
 */
import { getNodeDefinition } from "@/flows/nodes/registry";
import { branchFor, configJsonSchema, discriminatorOf, withField, type JsonSchema } from "./json-schema";
import { SchemaField, type FieldContext } from "./schema-field";

interface Props {
  context: FieldContext;
  onChange: (config: Record<string, unknown>, fieldKey: string) => void;
}

/** Defaults of a branch's required fields, so switching branch starts from a sensible config. */
function branchStart(branch: JsonSchema, discriminator: string, value: unknown): Record<string, unknown> {
  const start: Record<string, unknown> = { [discriminator]: value };
  for (const key of branch.required ?? []) {
    const prop = branch.properties?.[key];
    if (key === discriminator || !prop) continue;
    start[key] = prop.default ?? (prop.type === "array" ? [] : prop.type === "string" ? "" : undefined);
  }
  return start;
}

export function NodeConfigForm({ context, onChange }: Props) {
  const definition = getNodeDefinition(context.nodeType);
  if (!definition) return <p className="muted">Unknown node type “{context.nodeType}”: it cannot be configured here.</p>;
  const root = configJsonSchema(definition.configSchema);
  const config = context.config;
  const discriminator = discriminatorOf(root);
  const schema = discriminator ? branchFor(root, discriminator, config[discriminator]) : root;
  if (!schema?.properties) return <p className="muted">This node has nothing to configure.</p>;
  const branches = root.oneOf ?? root.anyOf ?? [];

  return (
    <div>
      {discriminator ? (
        <SchemaField
          context={context}
          name={discriminator}
          schema={{ type: "string", enum: branches.map((b) => b.properties![discriminator]!.const) }}
          required
          value={config[discriminator]}
          path={[discriminator]}
          onChange={(v) => onChange(branchStart(branchFor(root, discriminator, v)!, discriminator, v), discriminator)}
        />
      ) : null}
      {Object.entries(schema.properties)
        .filter(([key]) => key !== discriminator)
        .map(([key, child]) => (
          <SchemaField
            key={key}
            context={context}
            name={key}
            schema={child}
            required={schema.required?.includes(key) ?? false}
            value={config[key]}
            path={[key]}
            onChange={(v) => onChange(withField(config, key, v), key)}
          />
        ))}
    </div>
  );
}
