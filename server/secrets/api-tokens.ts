/**
 * API keys and bearer tokens that Flowport issues to external systems (the seed's "credentials
 * shared by the ERP"). A token reads `fpk_<id>_<secret>` (API key) or `fpt_<id>_<secret>`
 * (bearer token): the recognisable start lets secret scanners and our log redaction spot it,
 * and `fpk_<id>` is the stored `prefix` that finds the row with one indexed lookup. Only
 * HMAC-SHA256(server key, token) is stored: a leaked database alone yields no usable token,
 * and unlike a slow password hash the check costs microseconds, which the 1,500 req/s target
 * needs (the tokens carry 256 random bits, so there is nothing to brute-force).
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { defaultKeyring, type SecretKeyring } from "./crypto";

export type TokenKind = "api_key" | "bearer";

export const TOKEN_PREFIXES: Record<TokenKind, string> = { api_key: "fpk", bearer: "fpt" };

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ID_LENGTH = 8;
const SECRET_BYTES = 32;
// Alphanumeric id (the log redaction in server/incoming/redact.ts relies on it); base64url secret.
const TOKEN_PATTERN = /^(fp[kt])_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedToken {
  kind: TokenKind;
  /** The whole token: shown to the user once, never stored. */
  token: string;
  /** `fpk_<id>`: stored, shown in lists, used to find the row. */
  prefix: string;
  /** HMAC-SHA256 of the token under the current server key, hex. */
  hash: string;
}

export function generateToken(kind: TokenKind, keyring: SecretKeyring = defaultKeyring()): GeneratedToken {
  let id = "";
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  const prefix = `${TOKEN_PREFIXES[kind]}_${id}`;
  const token = `${prefix}_${randomBytes(SECRET_BYTES).toString("base64url")}`;
  return { kind, token, prefix, hash: hashToken(token, keyring.current) };
}

/** The kind and stored prefix of a well-formed token; undefined for anything else. */
export function parseToken(token: string): { kind: TokenKind; prefix: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  return { kind: match[1] === "fpk" ? "api_key" : "bearer", prefix: `${match[1]}_${match[2]}` };
}

export function hashToken(token: string, key: Buffer): string {
  return createHmac("sha256", key).update(token).digest("hex");
}

/**
 * Whether `token` matches `storedHash`, compared in constant time. Previous server keys are
 * tried after the current one, so rotating FLOWPORT_SECRET_KEY does not lock every caller out.
 */
export function verifyToken(token: string, storedHash: string, keyring: SecretKeyring = defaultKeyring()): boolean {
  const expected = Buffer.from(storedHash, "hex");
  if (expected.length !== 32) return false;
  let matched = false;
  for (const key of [keyring.current, ...(keyring.previous ?? [])]) {
    // No early exit: every key is tried, so timing does not tell which one matched.
    matched = timingSafeEqual(Buffer.from(hashToken(token, key), "hex"), expected) || matched;
  }
  return matched;
}
