/**
 * Fills the gaps in the services the engine is given (flows/runtime/services.ts declares them): a
 * missing member fails the node that needs it with INTERNAL_ERROR "<name> is not available", so a
 * designer preview without a database still runs map, validate and branch.
 */
import { notAvailable } from "./errors";
import type { EngineLogger, EngineServices, RecordServices, ResolvedServices } from "@/flows/runtime/services";

// The service interfaces are part of the executor contract (flows/runtime); the engine resolves them.
export type {
  ErpRecord,
  StoreOptions,
  StoredRecord,
  RecordServices,
  IncomingAuthRequest,
  AuthServices,
  OutgoingRequest,
  OutgoingResponse,
  EngineLogger,
  EngineServices,
  ResolvedServices,
} from "@/flows/runtime/services";

const RECORD_METHODS = ["insert", "upsert", "exists", "findByKey", "masterExists", "lookup", "list", "update"] as const;

const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

function missing(name: string): () => never {
  return () => {
    throw notAvailable(name);
  };
}

const resolvedCache = new WeakMap<EngineServices, ResolvedServices>();

/** Fills the gaps once per services object (cached), so executors call methods directly. */
export function resolveServices(services: EngineServices): ResolvedServices {
  const cached = resolvedCache.get(services);
  if (cached) return cached;
  const given = services.records ?? {};
  // Complete record services (the PostgreSQL store's, built per request) are used as given: executors
  // call them as methods of this object, so `this` is what binding would give, without a bind per
  // method per call.
  let records = given as Record<(typeof RECORD_METHODS)[number], unknown>;
  if (!RECORD_METHODS.every((method) => typeof given[method] === "function")) {
    records = {} as Record<(typeof RECORD_METHODS)[number], unknown>;
    for (const method of RECORD_METHODS) {
      const fn = given[method];
      records[method] = fn ? fn.bind(given) : missing(`records.${method}`);
    }
  }
  const verify = services.auth?.verifyIncoming;
  const clock = services.clock;
  const resolved: ResolvedServices = {
    records: records as Required<RecordServices>,
    auth: { verifyIncoming: verify ? verify.bind(services.auth) : missing("auth.verifyIncoming") },
    send: services.send ? services.send.bind(services) : missing("send"),
    transaction: services.transaction ? services.transaction.bind(services) : missing("transaction"),
    now: clock ? () => clock.now() : () => new Date(),
    logger: services.logger ?? silentLogger,
    raw: services,
  };
  resolvedCache.set(services, resolved);
  return resolved;
}
