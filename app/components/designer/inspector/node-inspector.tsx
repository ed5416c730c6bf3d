"use client";

/**
 * The inspector for one node: its name, what it does, its problems, its config editor (generated
 * form, or a special editor where a form is not enough) and its last test-run result.
 */
import type { ReactNode } from "react";
import type { FlowFile, FlowNode } from "@/flows/format";
import { findEntity } from "@/flows/erp/entities";
import { mappedFields } from "@/flows/mapper/model";
import type { RuleKind } from "@/flows/nodes/validate/rules";
import { getNodeDefinition, hasCapability } from "@/flows/nodes/registry";
import type { GraphError } from "@/flows/validate-graph";
import { NodeIcon } from "../canvas/node-icon";
import type { NodeRunView } from "../run-view";
import type { PickerCatalog } from "./field-kinds";
import { NodeConfigForm } from "./node-config-form";
import { RulesTable } from "./rules-table";
import { RunDetails } from "./run-details";
import { ProblemList } from "./problem-list";
import styles from "./inspector.module.css";

export interface NodeInspectorProps {
  flow: FlowFile;
  node: FlowNode;
  problems: GraphError[];
  run: NodeRunView | undefined;
  catalog: PickerCatalog;
  readOnly: boolean;
  onNodeChange: (patch: Partial<Omit<FlowNode, "id">>, coalesce: string) => void;
  /** Special config editors supplied by the page (the map node's visual mapper). */
  specialEditor?: ReactNode;
}

/** Fields a validate node can check: the saved entity's fields and every mapped target. */
function fieldSuggestions(flow: FlowFile): string[] {
  const fields = new Set<string>();
  // Read from the config as it stands (mid-edit, not necessarily valid), as the mapper does.
  for (const node of flow.nodes) {
    if (hasCapability(node, "mapping") && typeof node.config.expression === "string") {
      for (const field of mappedFields(node.config.expression).fields) fields.add(field.target);
    }
    if (hasCapability(node, "recordWrite") && typeof node.config.entity === "string") {
      for (const f of findEntity(node.config.entity)?.fields ?? []) fields.add(f.name);
    }
  }
  return [...fields];
}

export function NodeInspector({ flow, node, problems, run, catalog, readOnly, onNodeChange, specialEditor }: NodeInspectorProps) {
  const definition = getNodeDefinition(node.type);
  const setConfig = (config: Record<string, unknown>, key: string) => onNodeChange({ config }, `config:${node.id}:${key}`);
  const general = problems.filter((p) => !(p.path[0] === "config" && p.path.length > 1));

  let editor: ReactNode;
  if (specialEditor) editor = specialEditor;
  else if (definition?.inspector.editor === "rules") {
    const rules = (Array.isArray(node.config.rules) ? node.config.rules : []) as (Record<string, unknown> & { rule: RuleKind; field: string })[];
    editor = (
      <RulesTable
        nodeId={node.id}
        rules={rules}
        fieldSuggestions={fieldSuggestions(flow)}
        problems={problems}
        readOnly={readOnly}
        onChange={(next, key) => setConfig({ ...node.config, rules: next }, key)}
      />
    );
  } else {
    editor = (
      <NodeConfigForm
        context={{ nodeType: node.type, nodeId: node.id, config: node.config, catalog, problems, readOnly }}
        onChange={setConfig}
      />
    );
  }

  return (
    <div className={styles.inspector} aria-label={`Inspector: ${node.name}`}>
      <header className={styles.header}>
        <NodeIcon name={definition?.icon} size={18} />
        <div>
          <div className={styles.kicker}>
            {definition?.label ?? node.type} · <code>{node.id}</code>
          </div>
          <input
            aria-label="Node name"
            className={styles.nameInput}
            value={node.name}
            readOnly={readOnly}
            onChange={(e) => onNodeChange({ name: e.target.value }, `name:${node.id}`)}
          />
        </div>
      </header>
      {definition ? <p className={styles.help}>{definition.help}</p> : null}
      <ProblemList problems={general} />
      <section className={styles.section}>
        <h3>Configuration</h3>
        {editor}
      </section>
      <section className={styles.section}>
        <h3>Last test run</h3>
        <RunDetails run={run} />
      </section>
    </div>
  );
}
