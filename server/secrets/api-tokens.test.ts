import * as nodeCrypto from "node:crypto";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateToken, hashToken, parseToken, verifyToken } from "./api-tokens";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const key = randomBytes(32);
const keyring = { current: key };

afterEach(() => vi.mocked(nodeCrypto.timingSafeEqual).mockClear());

describe("API keys and bearer tokens", () => {
  it("have a recognisable prefix, an alphanumeric id and at least 32 random bytes", () => {
    const apiKey = generateToken("api_key", keyring);
    const bearer = generateToken("bearer", keyring);
    expect(apiKey.token).toMatch(/^fpk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(bearer.token).toMatch(/^fpt_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(apiKey.token.slice(13), "base64url")).toHaveLength(32);
    expect(apiKey.prefix).toBe(apiKey.token.slice(0, 12));
    expect(parseToken(apiKey.token)).toEqual({ kind: "api_key", prefix: apiKey.prefix });
    expect(parseToken(bearer.token)).toEqual({ kind: "bearer", prefix: bearer.prefix });
    expect(new Set(Array.from({ length: 200 }, () => generateToken("api_key", keyring).prefix)).size).toBe(200);
  });

  it("refuses anything that is not a whole token", () => {
    const { token } = generateToken("api_key", keyring);
    for (const bad of ["", "fpk_", token.slice(0, -1), `${token}x`, token.replace("fpk_", "fpx_"), ` ${token}`, token.slice(0, 12)]) {
      expect(parseToken(bad)).toBeUndefined();
    }
  });

  it("stores an HMAC of the token under the server key, never the token", () => {
    const generated = generateToken("api_key", keyring);
    expect(generated.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.hash).not.toContain(generated.token.slice(13));
    expect(generated.hash).toBe(nodeCrypto.createHmac("sha256", key).update(generated.token).digest("hex"));
    expect(hashToken(generated.token, randomBytes(32))).not.toBe(generated.hash);
  });

  it("verifies in constant time, and only the exact token", () => {
    const { token, hash } = generateToken("bearer", keyring);
    expect(verifyToken(token, hash, keyring)).toBe(true);
    expect(nodeCrypto.timingSafeEqual).toHaveBeenCalledTimes(1);
    const last = token.at(-1) === "A" ? "B" : "A";
    expect(verifyToken(token.slice(0, -1) + last, hash, keyring)).toBe(false);
    expect(verifyToken(token, hash, { current: randomBytes(32) })).toBe(false);
    expect(verifyToken(token, "not-hex", keyring)).toBe(false);
  });

  it("keeps accepting tokens hashed under a previous server key", () => {
    const { token, hash } = generateToken("api_key", keyring);
    expect(verifyToken(token, hash, { current: randomBytes(32), previous: [key] })).toBe(true);
  });
});
