import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { decryptSecret, encryptSecret, keyIdOf, maskSecret, needsReencryption, SecretError } from "./crypto";

// The process key of this file's own, so nothing depends on (or writes) the repository's .data folder.
vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const keyA = randomBytes(32);
const keyB = randomBytes(32);

function errorOf(fn: () => unknown): SecretError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretError) return error;
    throw error;
  }
  throw new Error("expected a SecretError");
}

describe("secret encryption at rest", () => {
  it("round-trips text, including unicode, with a fresh IV each time and the key id in the clear", () => {
    const plain = "whsec_pässwörd 🔑 and more";
    const first = encryptSecret(plain, { current: keyA });
    const second = encryptSecret(plain, { current: keyA });
    expect(first).not.toBe(second);
    expect(first).not.toContain("pässwörd");
    expect(first).toMatch(/^v1:[0-9a-f]{8}:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(first.split(":")[1]).toBe(keyIdOf(keyA));
    expect(decryptSecret(first, { current: keyA })).toBe(plain);
    expect(decryptSecret(encryptSecret("", { current: keyA }), { current: keyA })).toBe("");
  });

  it("detects a changed ciphertext, tag, IV or relabelled header", () => {
    const stored = encryptSecret("the secret", { current: keyA });
    const [version, keyId, iv, tag, ciphertext] = stored.split(":") as [string, string, string, string, string];
    const flip = (s: string) => {
      const bytes = Buffer.from(s, "base64url");
      bytes[0]! ^= 1;
      return bytes.toString("base64url");
    };
    for (const tampered of [
      [version, keyId, iv, tag, flip(ciphertext)],
      [version, keyId, iv, flip(tag), ciphertext],
      [version, keyId, flip(iv), tag, ciphertext],
    ]) {
      expect(errorOf(() => decryptSecret(tampered.join(":"), { current: keyA })).code).toBe("SECRET_TAMPERED");
    }
    expect(errorOf(() => decryptSecret("v2:" + stored.slice(3), { current: keyA })).code).toBe("SECRET_MALFORMED");
    expect(errorOf(() => decryptSecret("plaintext", { current: keyA })).code).toBe("SECRET_MALFORMED");
  });

  it("names both key ids when the secret was sealed by another key", () => {
    const stored = encryptSecret("x", { current: keyA });
    const error = errorOf(() => decryptSecret(stored, { current: keyB }));
    expect(error.code).toBe("SECRET_KEY_UNKNOWN");
    expect(error.message).toContain(`encrypted with another FLOWPORT_SECRET_KEY (key id ${keyIdOf(keyA)}`);
    expect(error.message).toContain(keyIdOf(keyB));
  });

  it("reads secrets sealed by a previous key during a rotation, and says which need re-encrypting", () => {
    const old = encryptSecret("rotated", { current: keyA });
    const rotated = { current: keyB, previous: [keyA] };
    expect(decryptSecret(old, rotated)).toBe("rotated");
    expect(needsReencryption(old, rotated)).toBe(true);
    const fresh = encryptSecret("rotated", rotated);
    expect(fresh.split(":")[1]).toBe(keyIdOf(keyB));
    expect(needsReencryption(fresh, rotated)).toBe(false);
  });

  it("uses the process key by default", () => {
    expect(decryptSecret(encryptSecret("default key"))).toBe("default key");
  });

  it("masks all but the last four characters, and short values entirely", () => {
    expect(maskSecret("whsec_abcdefghijklmnop")).toBe("••••mnop");
    expect(maskSecret("short123")).toBe("••••");
    expect(() => keyIdOf(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
