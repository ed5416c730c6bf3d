/**
 * Admitting an incoming call, in the seed's order (404, 415, 413/400, then 429/401/403): on a fresh
 * lookup (admit), or on the cached one without writing anything (admitFromCache, endpoint-cache.ts),
 * whose answer the call then proves current in its own transaction.
 */
import type { IncomingMessage } from "node:http";
import type { Sql } from "postgres";
import type { CallerAuth } from "@/flows/nodes/define";
import { nodesWith } from "@/flows/nodes/registry";
import { FlowError } from "@/server/engine/errors";
import { authFailureRetryAfter, GUESSING_FAILURES, noteAuthFailure } from "./auth-failures";
import { cachedLookup, lookupCheckOf, lookupKey, rememberLookup, type LookupCheck } from "./endpoint-cache";
import { findIncomingEndpointWithCredentials, type IncomingEndpoint } from "./endpoints";
import { HttpProblem, isJsonContentType, parseJsonBody, readBody } from "./http-io";
import type { RateLimitResult } from "./rate-limit";
import { presentedPrefixes, verifyCallFromRows, verifyIncomingCall, type IncomingCall, type PrefetchedCredentials, type VerifiedCaller } from "./inbound-auth";

export interface CallState {
  req: IncomingMessage;
  requestId: string;
  /** The log row's id: the request id when Flowport generated it (see executionIdFor). */
  executionId: string;
  startedAt: Date;
  started: bigint;
  headers: Record<string, string>;
  remoteAddress: string;
  slug?: string;
  endpoint?: IncomingEndpoint;
  client?: { clientId: string; clientName?: string; rateLimit?: RateLimitResult };
  rawText?: string;
  body?: unknown;
  /** The body, read and parsed once (a call answered from a stale cache is admitted again). */
  bodyRead?: Promise<{ text: string; value: unknown }>;
}

/**
 * The seed's checks on a fresh lookup (the endpoint and the presented key's rows in one round
 * trip), in its order: 404, 415, 413/400, then 429/401/403. A call that passes leaves its lookup
 * in the cache for the next one.
 */
export async function admit(sql: Sql, state: CallState): Promise<void> {
  const prefixes = presentedPrefixes(state.headers);
  const found = state.slug ? await findIncomingEndpointWithCredentials(sql, state.slug, prefixes) : undefined;
  state.endpoint = found?.endpoint;
  state.client = undefined;
  if (!state.endpoint) throw new HttpProblem("ENDPOINT_NOT_FOUND");
  await readRequestBody(state);
  const auth = incomingAuthOf(state.endpoint);
  if (auth) state.client = await verifyCounted(sql, state, incomingCallOf(state, state.endpoint, auth, found!.credentials), prefixes);
  rememberLookup(sql, lookupKey(state.slug!, prefixes), found!);
}

/**
 * The same checks on the cached lookup, writing nothing: the check to prove in the call's
 * transaction when every one passes, else undefined (admit then answers from a fresh lookup).
 */
export async function admitFromCache(sql: Sql, state: CallState): Promise<LookupCheck | undefined> {
  const lookup = state.slug ? cachedLookup(sql, lookupKey(state.slug, presentedPrefixes(state.headers))) : undefined;
  if (!lookup?.endpoint) return undefined;
  try {
    await readRequestBody(state);
  } catch {
    return undefined;
  }
  const auth = incomingAuthOf(lookup.endpoint);
  let client: VerifiedCaller | undefined;
  if (auth) {
    // Only a call that passes is admitted here: a failing one is verified (and counted) by admit.
    client = verifyCallFromRows(incomingCallOf(state, lookup.endpoint, auth, lookup.credentials), lookup.credentials.rows);
    if (!client) return undefined;
  }
  state.endpoint = lookup.endpoint;
  state.client = client;
  return lookupCheckOf(lookup, client);
}

/**
 * verifyIncomingCall, with guessing counted per address and presented prefix (auth-failures.ts):
 * a valid credential always proceeds; a failing one is 401, or 429 once its address or prefix
 * has failed too often this minute.
 */
async function verifyCounted(sql: Sql, state: CallState, call: IncomingCall, prefixes: string[]): Promise<VerifiedCaller> {
  try {
    return await verifyIncomingCall(sql, call);
  } catch (error) {
    if (!(error instanceof FlowError) || !GUESSING_FAILURES.has(String(error.details.failure))) throw error;
    const subject = { address: state.remoteAddress, prefixes };
    const retryAfter = authFailureRetryAfter(subject);
    // Counted only until refused: a refused flood of fresh prefixes must not push other windows out.
    if (retryAfter === undefined) {
      noteAuthFailure(subject);
      throw error;
    }
    throw new HttpProblem("TOO_MANY_AUTH_FAILURES", { headers: { "retry-after": String(retryAfter) } });
  }
}

/** 415, then the body (413/400), read once however many times the call is admitted. */
async function readRequestBody(state: CallState): Promise<void> {
  if (!isJsonContentType(state.headers["content-type"])) {
    throw new HttpProblem("UNSUPPORTED_MEDIA_TYPE");
  }
  const parsed = await (state.bodyRead ??= readBody(state.req).then(parseJsonBody));
  state.rawText = parsed.text;
  state.body = parsed.value;
}

function incomingCallOf(state: CallState, endpoint: IncomingEndpoint, auth: CallerAuth, prefetched: PrefetchedCredentials): IncomingCall {
  return {
    headers: state.headers,
    flowSlug: endpoint.slug,
    methods: auth.methods,
    rawBody: state.rawText,
    remoteAddress: state.remoteAddress,
    toleranceSeconds: auth.toleranceSeconds,
    prefetched,
  };
}

// Asked on every call: read once per compiled plan (plans are immutable and cached).
const incomingAuths = new WeakMap<IncomingEndpoint["plan"], CallerAuth | undefined>();

/** The caller authentication the endpoint's flow declares (its node's `callerAuth` capability). */
export function incomingAuthOf(endpoint: IncomingEndpoint): CallerAuth | undefined {
  const { plan } = endpoint;
  if (!incomingAuths.has(plan)) incomingAuths.set(plan, nodesWith(plan.flow.nodes, "callerAuth").find((n) => n.value !== undefined)?.value);
  return incomingAuths.get(plan);
}

