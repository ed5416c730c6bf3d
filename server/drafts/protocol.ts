/**
 * What crosses between the thread that answers API calls and a draft-runner thread: the task (a
 * structured-clone-able description of the draft and its input), the connection the thread opens
 * its own database client with, and the result. Both sides import this module; it holds types and
 * constants only.
 */
import type { FlowFile, FlowSample } from "@/flows/format";
import type { ExecutionResult } from "@/server/engine/execute";

/** postgres.js connection options a thread can rebuild its own client from (no functions). */
export interface DraftConnection {
  /** One host, or several as "host:port,host:port" (postgres.js multi-host form). */
  host: string;
  port?: number;
  path?: string;
  database: string;
  user: string;
  pass?: string;
  ssl?: boolean | "require" | "allow" | "prefer" | "verify-full";
  connection?: Record<string, string>;
  target_session_attrs?: "read-write" | "read-only" | "primary" | "standby" | "prefer-standby";
}

/** application_name of a draft thread's connections: pg_stat_activity tells them apart. */
export const DRAFT_APPLICATION_NAME = "flowport-draft";

/** A draft flow dry-run on one sample (designer, `flows test`). */
export interface DryRunTask {
  kind: "dry-run";
  flow: FlowFile;
  sample: Pick<FlowSample, "payload" | "headers">;
}

/** A logged call replayed as a dry run on the draft (server/logs/replay.ts). */
export interface DryReplayTask {
  kind: "dry-replay";
  flow: FlowFile;
  body: unknown;
  headers: Record<string, string>;
  executionId: string;
  /** The original call's authenticated client; the auth node is answered with it. */
  client?: { clientId: string; clientName?: string };
  /** Added to the origin of any record the replay writes: the operator who started it. */
  origin?: Record<string, unknown>;
  /** Start at this plan node with this input, fed by this edge (else at the trigger). */
  start?: { index: number; input: unknown; edge: { from: number; port: string } | undefined };
}

export type DraftTask = DryRunTask | DryReplayTask;

/** What the pool posts to a thread: the task, with its id and the database to use. */
export type DraftEnvelope = DraftTask & { id: number; connection: DraftConnection };

export interface DraftTaskResult {
  result: ExecutionResult;
  /** The thread that ran it (never the main thread's 0): tests and debug logs check it. */
  threadId: number;
}

/** A thread posts this the moment it starts a task: its time limit counts from then. */
export interface DraftStartedMessage {
  draftTaskStarted: number;
}

export function isDraftStartedMessage(message: unknown): message is DraftStartedMessage {
  return typeof message === "object" && message !== null && typeof (message as DraftStartedMessage).draftTaskStarted === "number";
}
