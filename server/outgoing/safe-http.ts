/**
 * The one way Flowport calls out to external systems: an HTTP client that will not be turned
 * against our own network (SSRF). The target host is resolved once, every address is checked
 * against loopback, private, link-local, metadata and other special ranges, and the socket is then
 * connected to exactly the address that was checked (a custom `lookup`), so a DNS answer that
 * changes between check and connect (rebinding) cannot slip through. Redirects are returned as-is
 * unless the connection asks to follow them, and then every hop is checked again.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { FlowError } from "@/server/engine/errors";

export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;

export interface SafeRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  /** Admin override for this connection: loopback and private targets are allowed. */
  allowPrivate?: boolean;
  followRedirects?: boolean;
  /** Header names (any case) to drop when a followed redirect leaves the original origin. */
  credentialHeaders?: readonly string[];
  maxResponseBytes?: number;
}

export interface SafeResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the content type says JSON (and it parses), else text. */
  body: unknown;
  bodyTruncated: boolean;
  /** The address actually connected to. */
  remoteAddress: string | undefined;
  /** The URL that answered (differs from the request's after followed redirects). */
  url: string;
}

// Ranges that are never a legitimate external system (the RFC 6890 special-purpose registries).
// IPv4: "this network" (0.0.0.0 reaches the local host on Linux), private, carrier-grade NAT (also
// Alibaba's metadata 100.100.100.200), loopback, link-local (the 169.254.169.254 metadata service),
// protocol assignments, documentation, 6to4 relay, benchmarking, multicast, reserved and broadcast.
const IPV4_BLOCKED: [string, number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
];
// IPv6: unspecified, loopback and the deprecated IPv4-compatible form (::/96), discard, Teredo
// (hides the real, possibly private, IPv4 target), documentation, unique local (including AWS's
// fd00:ec2::254 metadata address), link-local, deprecated site-local, multicast.
const IPV6_BLOCKED: [string, number][] = [
  ["::", 96], ["100::", 64], ["2001::", 32], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
];

const blocked = new BlockList();
for (const [address, prefix] of IPV4_BLOCKED) blocked.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of IPV6_BLOCKED) blocked.addSubnet(address, prefix, "ipv6");

/** An IPv6 address as 16 bytes (with any embedded dotted IPv4 tail); undefined when invalid. */
function ipv6Bytes(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.replace(/%.*$/, "").toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

const dottedQuad = (bytes: number[]) => bytes.join(".");

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one that routes to it: IPv4-mapped
 * (::ffff:a.b.c.d, also in hex), NAT64 (64:ff9b::/96) and 6to4 (2002:aabb:ccdd::/48).
 */
function embeddedIpv4(bytes: number[]): string | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return dottedQuad(bytes.slice(12));
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return dottedQuad(bytes.slice(12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return dottedQuad(bytes.slice(2, 6));
  return undefined;
}

/**
 * Whether an address is one we refuse to call without the admin override: loopback, private,
 * link-local, metadata and other special-purpose ranges, in any IPv4 or IPv6 spelling. Anything
 * that is not a valid IP address is refused too.
 */
export function isBlockedAddress(raw: string): boolean {
  const address = raw.trim().replace(/^\[(.*)\]$/, "$1");
  if (isIP(address) === 4) return blocked.check(address, "ipv4");
  const bytes = ipv6Bytes(address);
  if (!bytes) return true;
  const v4 = embeddedIpv4(bytes);
  if (v4 !== undefined) return blocked.check(v4, "ipv4");
  return blocked.check(address.replace(/%.*$/, ""), "ipv6");
}

type FailureReason = "TIMEOUT" | "NETWORK" | "BLOCKED_ADDRESS" | "INVALID_URL" | "TOO_MANY_REDIRECTS";

function failure(reason: FailureReason, message: string, url: URL | undefined, extra: Record<string, unknown> = {}, cause?: unknown): FlowError {
  const retryable = reason === "TIMEOUT" || reason === "NETWORK";
  // Origin and path only: query strings sometimes carry tokens.
  const target = url ? `${url.origin}${url.pathname}` : undefined;
  return new FlowError("EXTERNAL_ERROR", { message, retryable, details: { reason, ...(target ? { url: target } : {}), ...extra }, cause });
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw failure("INVALID_URL", "The target URL is not a valid absolute URL", undefined);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw failure("INVALID_URL", `Only http and https URLs can be called (got ${url.protocol})`, url);
  return url;
}

/** Resolves the host once and checks every address; returns the one to connect to. */
async function resolveChecked(url: URL, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await dnsLookup(host, { all: true, verbatim: true });
    } catch (err) {
      throw failure("NETWORK", `Could not resolve ${host}`, url, { code: (err as NodeJS.ErrnoException).code }, err);
    }
  }
  if (!allowPrivate) {
    // One private answer refuses the host: mixing public and private answers is a known bypass.
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) {
      const named = bad.address === host ? host : `${host} (${bad.address})`;
      throw failure(
        "BLOCKED_ADDRESS",
        `Refused to call ${named}: it is a loopback, private, link-local or metadata address. An admin can allow private targets for this connection (allow_private).`,
        url,
        { address: bad.address },
      );
    }
  }
  const first = addresses[0];
  if (!first) throw failure("NETWORK", `${host} has no addresses`, url);
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A `lookup` that answers with the already-checked address, whatever is asked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

function flattenHeaders(message: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function decodeBody(buffer: Buffer, contentType: string | undefined, truncated: boolean): unknown {
  const text = buffer.toString("utf8");
  // A cut JSON document cannot parse; the caller gets the text and the truncation flag.
  if (!truncated && contentType && /[/+]json\b/i.test(contentType) && text.trim() !== "") {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

// Set by us from the URL and body; a caller-supplied value could smuggle a different request.
const CONTROLLED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);

interface Attempt {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/**
 * Keep-alive pools, one per (scheme, host name, port, checked address). Every socket of a pool was
 * connected to exactly that address, so reusing one never skips a check: the address is resolved
 * and checked on every request first, and only then is the pool for it chosen. Without reuse each
 * delivery paid a TCP handshake and teardown on both ends.
 */
const MAX_POOLS = 100;
/** Below Node's default server keep-alive timeout (5 s), so we seldom reuse a socket the server is closing. */
const IDLE_SOCKET_MS = 4_000;
const pools = new Map<string, http.Agent>();

function poolFor(url: URL, pinned: { address: string }): http.Agent {
  const key = `${url.protocol}//${url.hostname}:${url.port}@${pinned.address}`;
  let agent = pools.get(key);
  if (agent) {
    pools.delete(key); // re-inserted below: most recently used last
  } else {
    const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: 64, maxFreeSockets: 64 };
    agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    if (pools.size >= MAX_POOLS) {
      const [oldestKey, oldest] = pools.entries().next().value!;
      pools.delete(oldestKey);
      oldest.destroy();
    }
  }
  pools.set(key, agent);
  return agent;
}

/** A reused keep-alive socket the server had closed: nothing was answered, so one resend on a new socket. */
class StaleSocket extends Error {}

function sendOnce(attempt: Attempt, pinned: { address: string; family: 4 | 6 }, maxBytes: number, signal: AbortSignal, reuse = true): Promise<SafeResponse> {
  const { url, method, body } = attempt;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(attempt.headers)) if (!CONTROLLED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<SafeResponse>((resolve, reject) => {
    const req = transport.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      // The hostname stays for Host and TLS (SNI, certificate check); the address is pinned.
      lookup: pinnedLookup(pinned.address, pinned.family),
      agent: reuse ? poolFor(url, pinned) : false,
      signal,
    });
    let answered = false;
    req.once("error", (err: NodeJS.ErrnoException) => {
      const stale = !answered && req.reusedSocket && (err.code === "ECONNRESET" || err.code === "EPIPE") && !signal.aborted;
      reject(stale ? new StaleSocket(err.message) : err);
    });
    req.once("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res),
          body: decodeBody(Buffer.concat(chunks), res.headers["content-type"], truncated),
          bodyTruncated: truncated,
          remoteAddress: res.socket?.remoteAddress ?? req.socket?.remoteAddress,
          url: url.toString(),
        });
      res.on("data", (chunk: Buffer) => {
        if (truncated) return;
        const room = maxBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = maxBytes;
          truncated = true;
          finish();
          res.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.once("end", () => {
        if (!truncated) finish();
      });
      res.once("error", (err) => {
        if (!truncated) reject(err);
      });
    });
    req.end(body);
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One attempt: resolve and check, connect to the checked address, follow redirects if asked. */
export async function safeRequest(request: SafeRequest): Promise<SafeResponse> {
  // A deadline cleared when the attempt ends. AbortSignal.timeout's timer (and the listeners and
  // closures its signal holds) outlived every request by the whole timeout, 10 s by default: at
  // hundreds of deliveries a second, thousands of them alive at once, all work for the GC.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), request.timeoutMs);
  timer.unref();
  try {
    return await attemptWithin(request, deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function attemptWithin(request: SafeRequest, timeout: AbortSignal): Promise<SafeResponse> {
  const maxBytes = request.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const credentialHeaders = new Set((request.credentialHeaders ?? []).map((h) => h.toLowerCase()));
  const first = parseTarget(request.url);
  let attempt: Attempt = { url: first, method: request.method.toUpperCase(), headers: { ...request.headers }, body: request.body };
  for (let hop = 0; ; hop++) {
    const url = attempt.url;
    let response: SafeResponse;
    try {
      // The deadline covers name resolution too, and the whole chain of redirects.
      const pinned = await Promise.race([
        resolveChecked(url, request.allowPrivate ?? false),
        new Promise<never>((_, reject) => {
          if (timeout.aborted) reject(timeout.reason);
          timeout.addEventListener("abort", () => reject(timeout.reason), { once: true });
        }),
      ]);
      response = await sendOnce(attempt, pinned, maxBytes, timeout).catch((err: unknown) => {
        if (err instanceof StaleSocket) return sendOnce(attempt, pinned, maxBytes, timeout, false);
        throw err;
      });
    } catch (err) {
      if (err instanceof FlowError) throw err;
      if (timeout.aborted) throw failure("TIMEOUT", `No answer from ${url.host} within ${request.timeoutMs} ms`, url, { timeoutMs: request.timeoutMs }, err);
      const code = (err as NodeJS.ErrnoException).code;
      throw failure("NETWORK", `Could not reach ${url.host}: ${(err as Error).message}`, url, code ? { code } : {}, err);
    }
    const location = response.headers.location;
    if (!request.followRedirects || !REDIRECTS.has(response.status) || !location) return response;
    if (hop >= MAX_REDIRECTS) throw failure("TOO_MANY_REDIRECTS", `More than ${MAX_REDIRECTS} redirects from ${first.host}`, first);
    let next: URL;
    try {
      next = parseTarget(new URL(location, url).toString());
    } catch (err) {
      if (err instanceof FlowError) throw err;
      throw failure("INVALID_URL", "The redirect location is not a valid URL", url);
    }
    // As browsers do: 303 (and 301/302 after a POST) continue as a GET without the body.
    const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && attempt.method === "POST");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(attempt.headers)) {
      const lower = name.toLowerCase();
      // Credentials were given for the original origin only.
      if (next.origin !== first.origin && (credentialHeaders.has(lower) || lower === "authorization" || lower === "cookie")) continue;
      if (toGet && lower === "content-type") continue;
      headers[name] = value;
    }
    attempt = { url: next, method: toGet ? "GET" : attempt.method, headers, body: toGet ? undefined : attempt.body };
  }
}
