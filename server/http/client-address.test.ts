import { afterEach, describe, expect, it, vi } from "vitest";
import { parseEnv, resetEnvForTests } from "@/server/env";
import { clientAddressOf } from "./client-address";

function trusting(proxies: string | undefined) {
  vi.stubEnv("FLOWPORT_TRUSTED_PROXIES", proxies ?? "");
  resetEnvForTests();
}
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("the client address behind a request", () => {
  it("is the socket's peer when no proxy is trusted (the default): X-Forwarded-For is the caller's own words", () => {
    trusting(undefined);
    expect(clientAddressOf("198.51.100.4", "203.0.113.9")).toBe("198.51.100.4");
  });

  it("behind trusted proxies is the right-most hop no trusted proxy is", () => {
    trusting("10.0.0.0/8, 192.0.2.1");
    // The client forged a left-most entry; the load balancer appended the real peer.
    expect(clientAddressOf("10.1.2.3", "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddressOf("::ffff:10.1.2.3", "6.6.6.6, 203.0.113.9, 192.0.2.1")).toBe("203.0.113.9");
    expect(clientAddressOf("10.1.2.3", ["203.0.113.9", "10.9.9.9"])).toBe("203.0.113.9");
    // Every hop trusted: the left-most; garbage ends the trust at the proxy that sent it.
    expect(clientAddressOf("10.1.2.3", "10.5.5.5, 10.6.6.6")).toBe("10.5.5.5");
    expect(clientAddressOf("10.1.2.3", "203.0.113.9, unknown")).toBe("10.1.2.3");
    expect(clientAddressOf("10.1.2.3", undefined)).toBe("10.1.2.3");
    // A peer that is not a trusted proxy is the client, whatever it claims.
    expect(clientAddressOf("198.51.100.4", "203.0.113.9")).toBe("198.51.100.4");
  });

  it("refuses a FLOWPORT_TRUSTED_PROXIES entry that is not an address or range, naming it", () => {
    expect(() => parseEnv({ FLOWPORT_TRUSTED_PROXIES: "10.0.0.0/8, lb.internal" })).toThrow(/FLOWPORT_TRUSTED_PROXIES: not an IP address or CIDR range: lb\.internal/);
    expect(parseEnv({ FLOWPORT_TRUSTED_PROXIES: "10.0.0.0/8,2001:db8::/32" }).trustedProxies).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
  });
});
