/**
 * A test double for the ERP store and the outside world: records, masters, numbering series,
 * events, API keys and an external system, all in memory. It stands in for StrategicERP's data in
 * engine tests, sample runs and the bench; it is not Flowport's database layer (that implements the
 * same EngineServices against Postgres).
 */
import { FlowError } from "../errors";
import type {
  EngineServices,
  ErpRecord,
  IncomingAuthRequest,
  OutgoingRequest,
  OutgoingResponse,
  StoreOptions,
  StoredRecord,
} from "../services";

export interface MemoryEntity {
  /** The field lookups and masters match by default. */
  key?: string;
  /** Fields no two records may share (DUPLICATE_RECORD). */
  unique?: string[];
  /** Numbering series prefix, e.g. VEND-. */
  series?: string;
  /** Existing records; `id` and `status` are kept apart from the data, as the ERP stores them. */
  rows?: ErpRecord[];
}

export interface MemoryServicesOptions {
  entities?: Record<string, MemoryEntity>;
  /** Masters are read-only reference lists (City, Employee...), matched case-insensitively. */
  masters?: Record<string, { key: string; rows: ErpRecord[] }>;
  apiKeys?: string[];
  bearerTokens?: string[];
  /** The external systems: answers every send. Default: 200 with a reference ID. */
  respond?: (request: OutgoingRequest) => OutgoingResponse | Promise<OutgoingResponse>;
  /** A fixed clock makes $now() deterministic. */
  now?: Date;
  /** The first number of every series (VEND-1001...). */
  seriesStart?: number;
}

interface StoredRow {
  id: string;
  status?: string;
  record: ErpRecord;
}

/** Lookups and lists answer data plus `recordId` and `status`, like the Postgres record store. */
function withMeta(row: StoredRow): ErpRecord {
  return { ...row.record, recordId: row.id, status: row.status };
}

export interface MemoryEvent {
  entity: string;
  type: "created" | "updated";
  recordId: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.trim().toLowerCase() === b.trim().toLowerCase();
  return a === b;
}

export class MemoryServices implements EngineServices {
  readonly tables = new Map<string, StoredRow[]>();
  readonly counters = new Map<string, number>();
  readonly events: MemoryEvent[] = [];
  readonly sent: OutgoingRequest[] = [];
  readonly clock: { now(): Date } | undefined;

  constructor(private readonly options: MemoryServicesOptions = {}) {
    for (const [entity, config] of Object.entries(options.entities ?? {})) {
      this.tables.set(
        entity,
        (config.rows ?? []).map((row, i) => {
          const { id, status, ...record } = row;
          return { id: typeof id === "string" ? id : `${entity}-${i + 1}`, status: typeof status === "string" ? status : undefined, record };
        }),
      );
    }
    const fixed = options.now;
    this.clock = fixed ? { now: () => new Date(fixed) } : undefined;
  }

  private entity(name: string): MemoryEntity {
    const config = this.options.entities?.[name];
    if (!config) throw new FlowError("INTERNAL_ERROR", { message: `Unknown entity ${name}` });
    return config;
  }

  private rows(name: string): StoredRow[] {
    this.entity(name);
    return this.tables.get(name)!;
  }

  /** Numbers are used up even in dry runs, as a Postgres sequence is by a rolled-back transaction. */
  private nextId(entity: string, series: string | undefined): string {
    const prefix = series ?? this.entity(entity).series ?? `${entity.toUpperCase()}-`;
    const next = this.counters.get(prefix) ?? this.firstNumber(entity, prefix);
    this.counters.set(prefix, next + 1);
    return `${prefix}${next}`;
  }

  /** A series continues after the numbers its existing records already use. */
  private firstNumber(entity: string, prefix: string): number {
    let highest = 0;
    for (const row of this.rows(entity)) {
      if (row.id.startsWith(prefix)) highest = Math.max(highest, Number(row.id.slice(prefix.length)) || 0);
    }
    return Math.max(this.options.seriesStart ?? 1001, highest + 1);
  }

  private assertUnique(entity: string, data: ErpRecord, except?: string): void {
    for (const field of this.entity(entity).unique ?? []) {
      if (data[field] === undefined) continue;
      if (this.rows(entity).some((row) => row.id !== except && sameValue(row.record[field], data[field]))) {
        throw new FlowError("DUPLICATE_RECORD", { message: `${entity} with this ${field} already exists`, details: { entity, field } });
      }
    }
  }

  private write(entity: string, data: ErpRecord, options: StoreOptions): StoredRecord {
    this.assertUnique(entity, data);
    const id = this.nextId(entity, options.series);
    if (!options.dryRun) {
      this.rows(entity).push({ id, record: { ...data } });
      this.events.push({ entity, type: "created", recordId: id });
    }
    return { id, record: data, created: true };
  }

  readonly records = {
    insert: async (entity: string, data: ErpRecord, options: StoreOptions): Promise<StoredRecord> => this.write(entity, data, options),

    upsert: async (entity: string, keyField: string, data: ErpRecord, options: StoreOptions): Promise<StoredRecord> => {
      const existing = this.rows(entity).find((row) => sameValue(row.record[keyField], data[keyField]));
      if (!existing) return this.write(entity, data, options);
      this.assertUnique(entity, data, existing.id);
      const record = { ...existing.record, ...data };
      if (!options.dryRun) {
        existing.record = record;
        this.events.push({ entity, type: "updated", recordId: existing.id });
      }
      return { id: existing.id, record, created: false };
    },

    exists: async (entity: string, field: string, value: unknown): Promise<boolean> =>
      this.rows(entity).some((row) => sameValue(row.record[field], value)),

    findByKey: async (entity: string, field: string, value: unknown): Promise<ErpRecord | null> =>
      this.rows(entity).find((row) => sameValue(row.record[field], value))?.record ?? null,

    masterExists: async (master: string, value: unknown, options: { field?: string }): Promise<boolean> =>
      (await this.records.lookup(master, value, options)) !== null,

    lookup: async (name: string, key: unknown, options: { field?: string }): Promise<ErpRecord | null> => {
      const master = this.options.masters?.[name];
      if (master) return master.rows.find((row) => sameValue(row[options.field ?? master.key], key)) ?? null;
      const field = options.field ?? this.entity(name).key ?? "id";
      const row = this.rows(name).find((r) => sameValue(field === "id" ? r.id : r.record[field], key));
      return row ? withMeta(row) : null;
    },

    list: async (entity: string, filter: Record<string, unknown>, options: { limit: number }): Promise<ErpRecord[]> =>
      this.rows(entity)
        .filter((row) => Object.entries(filter).every(([field, value]) => sameValue(field === "status" ? row.status : row.record[field], value)))
        .slice(0, options.limit)
        .map(withMeta),

    update: async (entity: string, id: string, patch: ErpRecord, options: StoreOptions): Promise<void> => {
      const row = this.rows(entity).find((r) => r.id === id);
      if (!row) throw new FlowError("NOT_FOUND", { message: `${entity} ${id} not found` });
      if (!options.dryRun) {
        row.record = { ...row.record, ...patch };
        this.events.push({ entity, type: "updated", recordId: id });
      }
    },
  };

  readonly auth = {
    verifyIncoming: async (request: IncomingAuthRequest): Promise<{ clientId: string; clientName?: string }> => {
      const key = request.headers["x-api-key"];
      if (request.methods.includes("api_key") && key !== undefined && (this.options.apiKeys ?? []).includes(key)) {
        return { clientId: "memory-api-key-client", clientName: "Memory API key client" };
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1];
      if (request.methods.includes("bearer") && bearer !== undefined && (this.options.bearerTokens ?? []).includes(bearer)) {
        return { clientId: "memory-bearer-client" };
      }
      throw new FlowError("AUTH_FAILED", { message: "Invalid or missing credentials" });
    },
  };

  async send(request: OutgoingRequest): Promise<OutgoingResponse> {
    this.sent.push(request);
    if (this.options.respond) return this.options.respond(request);
    return { status: 200, headers: {}, body: { status: "received", referenceId: `EXT-${this.sent.length}` } };
  }

  /** Snapshot and restore: a failed callback leaves no trace, as a rolled-back transaction. */
  async transaction<T>(fn: (services: EngineServices) => Promise<T>): Promise<T> {
    const tables = new Map([...this.tables].map(([name, rows]) => [name, rows.map((r) => ({ id: r.id, record: { ...r.record } }))]));
    const counters = new Map(this.counters);
    const events = this.events.length;
    try {
      return await fn(this);
    } catch (err) {
      this.tables.clear();
      for (const [name, rows] of tables) this.tables.set(name, rows);
      this.counters.clear();
      for (const [prefix, n] of counters) this.counters.set(prefix, n);
      this.events.length = events;
      throw err;
    }
  }

  /** The stored records of an entity, for assertions. */
  all(entity: string): StoredRow[] {
    return this.rows(entity);
  }
}
