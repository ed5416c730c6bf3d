/**
 * Per-client IP allowlists: addresses and CIDR ranges, IPv4 and IPv6, matched with node:net's
 * BlockList. Dual-stack servers report IPv4 callers as IPv4-mapped IPv6 (`::ffff:1.2.3.4`),
 * so addresses and entries are both brought to their plain IPv4 form before matching: an entry
 * `203.0.113.0/24` must admit `::ffff:203.0.113.7`, and `::ffff:203.0.113.7` admits `203.0.113.7`.
 * Parsed lists are cached by content (never by client), so an edited allowlist applies at once.
 */
import { BlockList, isIP } from "node:net";

export interface AllowlistEntry {
  address: string;
  prefixLength: number;
  family: "ipv4" | "ipv6";
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The address as matched: brackets and zone ids dropped, IPv4-mapped IPv6 turned into IPv4. */
export function normalizeAddress(raw: string): { address: string; family: "ipv4" | "ipv6" } | undefined {
  let address = raw.trim();
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  address = address.replace(/%.*$/, "");
  const mapped = MAPPED_IPV4.exec(address);
  if (mapped && isIP(mapped[1]!) === 4) return { address: mapped[1]!, family: "ipv4" };
  const version = isIP(address);
  if (version === 4) return { address, family: "ipv4" };
  if (version === 6) return { address: address.toLowerCase(), family: "ipv6" };
  return undefined;
}

/** One allowlist entry (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.10`); undefined when invalid. */
export function parseAllowlistEntry(entry: string): AllowlistEntry | undefined {
  const [addressText = "", lengthText, extra] = entry.trim().split("/");
  if (extra !== undefined) return undefined;
  const raw = normalizeAddress(addressText);
  if (!raw) return undefined;
  // A mapped entry keeps its written family for the length check, then moves to IPv4.
  const wasMapped = raw.family === "ipv4" && isIP(addressText.trim()) === 6;
  const maxLength = raw.family === "ipv4" && !wasMapped ? 32 : 128;
  let prefixLength = maxLength;
  if (lengthText !== undefined) {
    if (!/^\d{1,3}$/.test(lengthText)) return undefined;
    prefixLength = Number(lengthText);
    if (prefixLength > maxLength) return undefined;
  }
  if (wasMapped) {
    if (prefixLength < 96) return undefined; // wider than the mapped range: not an IPv4 rule
    prefixLength -= 96;
  }
  return { address: raw.address, prefixLength, family: raw.family };
}

/** The entries that are not addresses or CIDR ranges (for validation messages). */
export function invalidAllowlistEntries(entries: readonly string[]): string[] {
  return entries.filter((e) => parseAllowlistEntry(e) === undefined);
}

/** The canonical stored form of a valid entry: `addr/len`, or the bare address for a single host. */
export function canonicalAllowlistEntry(entry: string): string {
  const parsed = parseAllowlistEntry(entry);
  if (!parsed) throw new Error(`Not an IP address or CIDR range: ${entry}`);
  const host = parsed.family === "ipv4" ? 32 : 128;
  return parsed.prefixLength === host ? parsed.address : `${parsed.address}/${parsed.prefixLength}`;
}

export function compileAllowlist(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseAllowlistEntry(entry);
    // Stored lists are validated on write; an entry that slipped through admits nobody.
    if (parsed) list.addSubnet(parsed.address, parsed.prefixLength, parsed.family);
  }
  return list;
}

const compiled = new Map<string, BlockList>();
const CACHE_LIMIT = 500;

/** Whether `remoteAddress` may call: an empty allowlist admits everyone, an unknown address nobody. */
export function isAddressAllowed(allowlist: readonly string[], remoteAddress: string): boolean {
  if (allowlist.length === 0) return true;
  const address = normalizeAddress(remoteAddress);
  if (!address) return false;
  const cacheKey = allowlist.join(",");
  let list = compiled.get(cacheKey);
  if (!list) {
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    list = compileAllowlist(allowlist);
    compiled.set(cacheKey, list);
  }
  return list.check(address.address, address.family);
}
