/**
 * The contract between the engine and node executors. An executor compiles a node's config once
 * (expressions, regexes, getters) into a runner; the runner is called once per message with the
 * previous node's output and the execution's context.
 * It lives in flows/ so node types (each node type's run.ts) import only flows/; the engine hosts it.
 */
import type { FlowDirection, FlowFile, Outcome } from "@/flows/format";
import type { CompiledExpression, ExpressionLimits } from "./expression";
import type { ErpRecord, OutgoingRequest, ResolvedServices } from "./services";

export type ExecutionMode = "live" | "dry";

export interface FlowInfo {
  slug: string;
  name: string;
  direction: FlowDirection;
  versionId?: string;
}

/** The ERP event that started an outgoing flow. */
export interface EngineEvent {
  entity: string;
  type: "created" | "updated" | "status_changed";
  recordId?: string;
  fromStatus?: string;
  toStatus?: string;
}

export interface TriggerInfo {
  input: unknown;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  rawBody?: string;
  event?: EngineEvent;
}

/** How a respond node (or the end of the flow) answers. */
export interface RespondDecision {
  outcome: Exclude<Outcome, "ERROR">;
  errorCode?: string;
  message?: string;
}

export interface ExecutionContext {
  readonly mode: ExecutionMode;
  readonly dryRun: boolean;
  readonly services: ResolvedServices;
  readonly flow: FlowInfo;
  readonly statusRules: FlowFile["statusRules"];
  readonly trigger: TriggerInfo;
  readonly executionId: string | undefined;
  /** Values lookups store for later nodes: `$vars.city`. */
  readonly vars: Record<string, unknown>;
  /** The variables every expression sees; updated in place as the context changes. */
  readonly bindings: Record<string, unknown>;
  /** The ERP record in play: the event's record (outgoing) or the stored one (incoming). */
  record: ErpRecord | undefined;
  recordId: string | undefined;
  entity: string | undefined;
  /** Outgoing: the credential the auth node chose for send. */
  credential: string | undefined;
  /** Incoming: who called, once auth succeeded. */
  client: { clientId: string; clientName?: string } | undefined;
  /** Requests made (or, in a dry run, that would have been made) by send nodes. */
  readonly requests: OutgoingRequest[];
  referenceId: string | undefined;
  respond: RespondDecision | undefined;
}

export interface NodeResult {
  output: unknown;
  /** The output port taken; "out" when omitted (branch says "true" or "false"). */
  port?: string;
  /** A remark for the trace, e.g. "not sent in a dry run". */
  note?: string;
}

export type NodeRunner = (input: unknown, ctx: ExecutionContext) => NodeResult | Promise<NodeResult>;

export interface CompileSite {
  nodeId: string;
  flow: FlowFile;
  limits: ExpressionLimits;
  /** Compiles one of the node's expressions, addressed for error messages. */
  expression(text: string, path: (string | number)[]): CompiledExpression;
}

export interface NodeExecutor<C> {
  compile(config: C, site: CompileSite): NodeRunner;
}

/** Sets the record in play and keeps `$record` in step. */
export function setRecord(ctx: ExecutionContext, record: ErpRecord | undefined, recordId?: string, entity?: string): void {
  ctx.record = record;
  ctx.bindings.record = record;
  if (recordId !== undefined) ctx.recordId = recordId;
  if (entity !== undefined) ctx.entity = entity;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
