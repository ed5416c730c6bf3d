/**
 * What every node type declares for the designer and for graph validation. Client-safe: no
 * executor code, no Node APIs, no secrets. The server registry (`server/engine/executors.ts`)
 * pairs each definition with its executor; a client registry pairs it with its form.
 */
import type { z } from "zod";
import type { FlowDirection } from "../format";

export const NODE_CATEGORIES = ["Triggers", "Security", "Transform", "Validate", "Actions", "Respond"] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

export const NODE_TYPES = [
  "trigger.http",
  "trigger.event",
  "trigger.manual",
  "trigger.schedule",
  "auth",
  "map",
  "validate",
  "branch",
  "lookup",
  "store",
  "send",
  "respond",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

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

export interface NodeDefinition<S extends z.ZodType = z.ZodType> {
  type: NodeType;
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
