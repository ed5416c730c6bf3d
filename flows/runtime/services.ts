/**
 * What the engine needs from the world, injected so the engine stays pure and testable: the ERP
 * store (Postgres in the app), inbound auth, the outgoing HTTP client, a clock and a logger; tests use
 * `testing/memory-services.ts`. Every member is optional: a missing one fails the node that needs it
 * with INTERNAL_ERROR "<name> is not available" (the engine's `resolveServices` fills the gaps), so a
 * designer preview without a database still runs map, validate and branch. Types only: executors
 * call these; the server implements them.
 */
import type { IncomingAuthMethod } from "@/flows/nodes/auth/definition";

export type ErpRecord = Record<string, unknown>;

export interface StoreOptions {
  /** Dry run: the caller rolls the transaction back; nothing may leave the process. */
  dryRun: boolean;
  /** Numbering series prefix for new records (VEND-). */
  series?: string;
  executionId?: string;
  flowSlug?: string;
}

export interface StoredRecord {
  id: string;
  record: ErpRecord;
  /** upsert: whether a new record was made. */
  created: boolean;
}

export interface RecordServices {
  /** Throws FlowError DUPLICATE_RECORD when a unique field is taken. */
  insert?(entity: string, data: ErpRecord, options: StoreOptions): Promise<StoredRecord>;
  upsert?(entity: string, keyField: string, data: ErpRecord, options: StoreOptions): Promise<StoredRecord>;
  /** Whether a record of the entity has `field` = `value`. */
  exists?(entity: string, field: string, value: unknown, options: { dryRun: boolean }): Promise<boolean>;
  findByKey?(entity: string, field: string, value: unknown, options: { dryRun: boolean }): Promise<ErpRecord | null>;
  /** Whether a master (City) has an entry whose key (or `field`) is `value`. */
  masterExists?(master: string, value: unknown, options: { field?: string; dryRun: boolean }): Promise<boolean>;
  /** A record of an entity or an entry of a master by key (or `field`), for lookups and `$lookup`. */
  lookup?(name: string, key: unknown, options: { field?: string; dryRun: boolean }): Promise<ErpRecord | null>;
  /** Records matching an equality filter, for scheduled flows. */
  list?(entity: string, filter: Record<string, unknown>, options: { limit: number }): Promise<ErpRecord[]>;
  /** Writes fields back to a record (the external reference ID after a send). */
  update?(entity: string, id: string, patch: ErpRecord, options: StoreOptions): Promise<void>;
}

export interface IncomingAuthRequest {
  methods: IncomingAuthMethod[];
  /** Lower-cased header names. */
  headers: Record<string, string>;
  flowSlug: string;
  /** The raw body, needed to check signatures. */
  rawBody?: string;
  toleranceSeconds: number;
}

export interface AuthServices {
  /** Resolves to the API client on success; throws FlowError AUTH_FAILED otherwise. */
  verifyIncoming?(request: IncomingAuthRequest): Promise<{ clientId: string; clientName?: string }>;
}

export interface OutgoingRequest {
  connection: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  /** A stored credential's name; the sender attaches its secret. */
  credential?: string;
  /** The same on every attempt of one delivery, so the receiver can recognise a repeat. */
  idempotencyKey?: string;
  /**
   * Sent as x-request-id: names this one attempt (an outgoing delivery uses the attempt's execution
   * id, so the receiver's logs lead straight to our log entry). The sender fills it in when absent.
   */
  requestId?: string;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EngineServices {
  records?: RecordServices;
  auth?: AuthServices;
  /** Sends one attempt; network failures throw FlowError EXTERNAL_ERROR with `retryable`. */
  send?(request: OutgoingRequest): Promise<OutgoingResponse>;
  /** Runs `fn` in one transaction, rolled back when it throws (batch all-or-nothing). */
  transaction?<T>(fn: (services: EngineServices) => Promise<T>): Promise<T>;
  clock?: { now(): Date };
  logger?: EngineLogger;
}

/** Services with every member present: absent ones throw "not available" when called. */
export interface ResolvedServices {
  records: Required<RecordServices>;
  auth: Required<AuthServices>;
  send(request: OutgoingRequest): Promise<OutgoingResponse>;
  transaction<T>(fn: (services: EngineServices) => Promise<T>): Promise<T>;
  now(): Date;
  logger: EngineLogger;
  /** The services as given, for nested executions inside a transaction. */
  raw: EngineServices;
}
