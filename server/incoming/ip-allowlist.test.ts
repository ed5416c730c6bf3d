import { describe, expect, it } from "vitest";
import { canonicalAllowlistEntry, invalidAllowlistEntries, isAddressAllowed, normalizeAddress, parseAllowlistEntry } from "./ip-allowlist";

describe("IP allowlists", () => {
  it("admits everyone when empty", () => {
    expect(isAddressAllowed([], "203.0.113.9")).toBe(true);
    expect(isAddressAllowed([], "")).toBe(true);
  });

  it("matches IPv4 addresses and ranges", () => {
    const list = ["10.0.0.0/8", "192.0.2.10"];
    expect(isAddressAllowed(list, "10.200.3.4")).toBe(true);
    expect(isAddressAllowed(list, "192.0.2.10")).toBe(true);
    expect(isAddressAllowed(list, "192.0.2.11")).toBe(false);
    expect(isAddressAllowed(list, "11.0.0.1")).toBe(false);
  });

  it("matches IPv6 ranges, whatever the spelling", () => {
    const list = ["2001:db8::/32"];
    expect(isAddressAllowed(list, "2001:db8::1")).toBe(true);
    expect(isAddressAllowed(list, "2001:DB8:0:0:0:0:0:ff")).toBe(true);
    expect(isAddressAllowed(list, "[2001:db8::2]")).toBe(true);
    expect(isAddressAllowed(list, "2001:db9::1")).toBe(false);
    expect(isAddressAllowed(list, "10.0.0.1")).toBe(false);
  });

  it("treats IPv4-mapped IPv6 as the IPv4 address, for addresses and entries", () => {
    expect(isAddressAllowed(["203.0.113.0/24"], "::ffff:203.0.113.7")).toBe(true);
    expect(isAddressAllowed(["203.0.113.0/24"], "::FFFF:203.0.114.7")).toBe(false);
    expect(isAddressAllowed(["::ffff:203.0.113.7"], "203.0.113.7")).toBe(true);
    expect(isAddressAllowed(["::ffff:203.0.113.0/120"], "::ffff:203.0.113.99")).toBe(true);
    expect(normalizeAddress("::ffff:127.0.0.1")).toEqual({ address: "127.0.0.1", family: "ipv4" });
  });

  it("refuses unknown or garbage peer addresses when a list is set", () => {
    expect(isAddressAllowed(["0.0.0.0/0"], "")).toBe(false);
    expect(isAddressAllowed(["0.0.0.0/0"], "not-an-ip")).toBe(false);
    expect(isAddressAllowed(["0.0.0.0/0", "::/0"], "198.51.100.1")).toBe(true);
  });

  it("validates and canonicalises entries", () => {
    expect(invalidAllowlistEntries(["10.0.0.0/8", "10.0.0.0/33", "2001:db8::/129", "host.example", "1.2.3.4/x", "1.2.3.4/8/9"])).toEqual([
      "10.0.0.0/33",
      "2001:db8::/129",
      "host.example",
      "1.2.3.4/x",
      "1.2.3.4/8/9",
    ]);
    expect(parseAllowlistEntry("::ffff:10.0.0.0/104")).toEqual({ address: "10.0.0.0", prefixLength: 8, family: "ipv4" });
    expect(parseAllowlistEntry("::ffff:10.0.0.0/64")).toBeUndefined();
    expect(canonicalAllowlistEntry(" 192.0.2.1/32 ")).toBe("192.0.2.1");
    expect(canonicalAllowlistEntry("2001:DB8::/32")).toBe("2001:db8::/32");
  });
});
