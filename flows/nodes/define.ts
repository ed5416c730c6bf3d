/**
 * What every node type declares for the designer and for graph validation. Client-safe: no
 * executor code, no Node APIs, no secrets. The server registry (`server/engine/executors.ts`)
 * pairs each definition with its executor; a client registry pairs it with its form.
 */
import type { z } from "zod";
import type { FlowDirection } from "../format";
// Types only: the capabilities below speak in the value types of the node folders that own them.
import type { IncomingAuthMethod } from "./auth/definition";
import type { RetryPolicy } from "./send/definition";
import type { ValidationRule } from "./validate/rules";

export const NODE_CATEGORIES = ["Triggers", "Security", "Transform", "Validate", "Actions", "Respond"] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/** A JSONata expression inside a node's config, for syntax checks and compilation. */
export interface ExpressionRef {
  path: (string | number)[];
  text: string;
}

/** A regular expression inside a node's config. */
export interface RegexRef {
  path: (string | number)[];
  pattern: string;
  flags?: string;
}

/** A name that must exist in the ERP catalogue (entities, masters, connections, credentials). */
export type CatalogRef =
  | { kind: "entity"; name: string; path: (string | number)[] }
  | { kind: "field"; entity: string; name: string; path: (string | number)[] }
  /** A master, or an entity used as one ("must exist in": City, Project). */
  | { kind: "master"; name: string; path: (string | number)[] }
  /** An entity or a master: lookups and `$lookup` accept either. */
  | { kind: "entityOrMaster"; name: string; path: (string | number)[] }
  | { kind: "connection"; name: string; path: (string | number)[] }
  | { kind: "credential"; name: string; path: (string | number)[] };

export interface ConfigInspection {
  expressions: ExpressionRef[];
  regexes: RegexRef[];
  references: CatalogRef[];
}

export interface NodePorts {
  inputs: string[];
  /** Edges leave through these; branch has "true" and "false", everything else "out". */
  outputs: string[];
}

/** A picker the inspector offers for a config field, filled from the ERP catalogue or the server. */
export type PickerKind = "entity" | "entityOrMaster" | "entityField" | "status" | "connection" | "credential";

/** How the inspector presents one config field beyond what its JSON Schema says. Plain data. */
export interface FieldHint {
  label?: string;
  help?: string;
  picker?: PickerKind;
  /** A JSONata expression: monospace, several lines. */
  expression?: boolean;
}

/**
 * What the designer's inspector needs of a node type: labels and hints per config field (fields
 * not listed fall back to the schema), and the special editor where a generated form is not
 * enough ("mapper": the visual mapper; "rules": the rules table). Plain data, no React.
 */
export interface NodeInspector {
  fields: Record<string, FieldHint>;
  editor?: "mapper" | "rules";
}

/** A lookup's contract, for the OpenAPI request schema. */
export interface LookupSpec {
  entity: string;
  key: string;
  keyField?: string;
  onMissing: "fail" | "continue";
  code?: string;
}

/** The record a node writes: the log names its entity, the OpenAPI examples its ids. */
export interface RecordWrite {
  entity: string;
  mode: "insert" | "upsert";
  series?: string;
}

/** The answer a node gives the caller, for the OpenAPI examples. */
export interface CallerAnswer {
  status: "SUCCESS" | "FAILED" | "DUPLICATE";
  errorCode?: string;
  message?: string;
}

/** An incoming caller's authentication, as a node declares it. */
export interface CallerAuth {
  methods: IncomingAuthMethod[];
  toleranceSeconds: number;
}

/**
 * What the rest of Flowport asks of a node type, instead of comparing type names (issue 16). Each
 * capability takes the node's parsed config; a type declares only those it has.
 */
export interface NodeCapabilities<C> {
  /**
   * Starts an incoming endpoint at POST …/incoming/{slug}; the slug follows the flow's. These three
   * also work on the config as written (a renamed flow's file keeps its defaults out).
   */
  endpoint?: { slug(config: C): string; batch(config: C): boolean; withSlug(config: C, slug: string): C };
  /** Reshapes its input with a mapping expression (the mapping model and visual mapper read it). */
  mapping?: (config: C) => string;
  /** Checks its input's fields by these rules and passes the input on unchanged. */
  fieldRules?: (config: C) => ValidationRule[];
  /** Looks a key up in an entity or master. */
  lookup?: (config: C) => LookupSpec;
  /** Writes an ERP record. */
  recordWrite?: (config: C) => RecordWrite;
  /** Sends to an outgoing connection; the delivery retries by this policy. */
  delivery?: (config: C) => RetryPolicy;
  /** Answers the caller. */
  answer?: (config: C) => CallerAnswer;
  /** Authenticates an incoming caller (undefined when this config does something else). */
  callerAuth?: (config: C) => CallerAuth | undefined;
  /** Config written for one flow direction; graph validation refuses it in the other. */
  configDirection?: (config: C) => FlowDirection;
  /** The config a node starts with when dropped on this flow, when the defaults are not enough. */
  initialConfig?: (flow: { slug: string; direction: FlowDirection }) => Record<string, unknown>;
}

export interface NodeDefinition<S extends z.ZodType = z.ZodType> extends NodeCapabilities<z.output<S>> {
  /** The name flow files use; built-ins are `NodeType`, a registered extra type any other name. */
  type: string;
  label: string;
  category: NodeCategory;
  /** A lucide icon name; the client maps it to a component. */
  icon: string;
  /** One or two sentences for the palette tooltip and the config panel. */
  help: string;
  /** Trigger nodes start a flow and take no input. */
  trigger: boolean;
  /** Flow directions the node makes sense in. */
  directions: FlowDirection[];
  ports: NodePorts;
  configSchema: S;
  /** The config a newly dropped node starts with (it may still need filling in). */
  defaults: z.input<S>;
  /** A one-line description of a configured node for the canvas. */
  summarize(config: z.output<S>): string;
  /** The expressions, regexes and catalogue names inside a valid config. */
  inspect(config: z.output<S>): ConfigInspection;
  inspector: NodeInspector;
}

/** Identity helper that keeps each definition's config type precise. */
export function defineNode<S extends z.ZodType>(definition: NodeDefinition<S>): NodeDefinition<S> {
  return definition;
}

export function emptyInspection(): ConfigInspection {
  return { expressions: [], regexes: [], references: [] };
}

/** Shortens long expressions and values for one-line summaries. */
export function clip(text: string, max = 48): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
