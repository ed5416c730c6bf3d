/**
 * Encryption at rest for secrets we must be able to read back (webhook signing secrets now,
 * outgoing connection credentials later): AES-256-GCM under FLOWPORT_SECRET_KEY.
 *
 * Stored form: `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id is the first
 * 8 hex characters of sha256(key), so a secret says which key sealed it: after a key rotation the
 * old key goes into `previous` until every secret has been re-encrypted (`needsReencryption`),
 * and a secret sealed by a key we no longer hold fails with a message naming both ids rather than
 * a bare "unsupported state or unable to authenticate data". The header is authenticated too
 * (GCM additional data), so a secret cannot be relabelled with another key id or version.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { secretKey } from "./secret-key";

const VERSION = "v1";
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;

/** The key that seals new secrets, plus older keys still accepted for reading. */
export interface SecretKeyring {
  current: Buffer;
  previous?: readonly Buffer[];
}

export type SecretErrorCode = "SECRET_MALFORMED" | "SECRET_KEY_UNKNOWN" | "SECRET_TAMPERED";

export class SecretError extends Error {
  constructor(
    readonly code: SecretErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SecretError";
  }
}

/** The running process's keyring. FLOWPORT_SECRET_KEY_PREVIOUS would be added here when needed. */
export function defaultKeyring(): SecretKeyring {
  return { current: secretKey() };
}

const keyIds = new WeakMap<Buffer, string>();

/** First 8 hex characters of sha256(key): names a key without revealing it. */
export function keyIdOf(key: Buffer): string {
  let id = keyIds.get(key);
  if (!id) {
    if (key.length !== 32) throw new Error(`A secret key must be 32 bytes (got ${key.length})`);
    id = createHash("sha256").update(key).digest("hex").slice(0, 8);
    keyIds.set(key, id);
  }
  return id;
}

export function encryptSecret(plain: string, keyring: SecretKeyring = defaultKeyring()): string {
  const header = `${VERSION}:${keyIdOf(keyring.current)}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.current, iv);
  cipher.setAAD(Buffer.from(header));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [header, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(":");
}

export function decryptSecret(stored: string, keyring: SecretKeyring = defaultKeyring()): string {
  const parts = stored.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new SecretError("SECRET_MALFORMED", `Not an encrypted secret (expected ${VERSION}:<keyId>:<iv>:<tag>:<ciphertext>)`);
  }
  const [version, keyId, ivText, tagText, cipherText] = parts as [string, string, string, string, string];
  const key = findKey(keyring, keyId);
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretError("SECRET_MALFORMED", "Encrypted secret is truncated");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${version}:${keyId}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(cipherText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretError("SECRET_TAMPERED", "Encrypted secret failed its integrity check (altered or corrupted)");
  }
}

/** Whether a stored secret was sealed by an older key and should be re-encrypted with the current one. */
export function needsReencryption(stored: string, keyring: SecretKeyring = defaultKeyring()): boolean {
  return stored.split(":")[1] !== keyIdOf(keyring.current);
}

function findKey(keyring: SecretKeyring, keyId: string): Buffer {
  for (const key of [keyring.current, ...(keyring.previous ?? [])]) {
    if (keyIdOf(key) === keyId) return key;
  }
  throw new SecretError(
    "SECRET_KEY_UNKNOWN",
    `This secret was encrypted with another FLOWPORT_SECRET_KEY (key id ${keyId}; the current key id is ${keyIdOf(keyring.current)})`,
  );
}

/**
 * "••••" and the last 4 characters, for lists and logs. Short values show no characters at all:
 * four characters of an eight-character secret are half of it.
 */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : "••••";
}
