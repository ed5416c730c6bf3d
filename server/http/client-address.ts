/**
 * The address of the client behind a request, for everything that counts or checks per address:
 * the incoming auth-failure limiter, API clients' IP allowlists, the console's sign-in limiter
 * and the logs. The peer of the socket, unless it is a proxy listed in FLOWPORT_TRUSTED_PROXIES:
 * then X-Forwarded-For is read from the right, skipping trusted hops, and the first address no
 * trusted proxy vouches for is the client (the left part of the header is whatever the client
 * wrote: never trusted). With no trusted proxy (the default) X-Forwarded-For is ignored, so a
 * caller cannot pick the address it is counted under.
 */
import type { BlockList } from "node:net";
import { env } from "@/server/env";
import { compileAllowlist, normalizeAddress } from "@/server/incoming/ip-allowlist";

let trusted: { source: readonly string[]; list: BlockList } | undefined;

function trustedProxies(): BlockList | undefined {
  const source = env().trustedProxies;
  if (source.length === 0) return undefined;
  if (trusted?.source !== source) trusted = { source, list: compileAllowlist(source) };
  return trusted.list;
}

const isTrusted = (list: BlockList, raw: string) => {
  const address = normalizeAddress(raw);
  return address !== undefined && list.check(address.address, address.family);
};

/** The client's address given the socket's peer and the X-Forwarded-For header(s), if any. */
export function clientAddressOf(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
  const socketAddress = peer ?? "";
  const list = trustedProxies();
  if (!list || !forwardedFor || !isTrusted(list, socketAddress)) return socketAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is not an address (garbage, "unknown") ends the trust: count the last proxy that sent it.
    if (!normalizeAddress(hop)) return i === hops.length - 1 ? socketAddress : hops[i + 1]!;
    if (!isTrusted(list, hop)) return hop;
  }
  // Every hop is a trusted proxy: the first of them is the nearest thing to a client.
  return hops[0] ?? socketAddress;
}
