/**
 * The key that encrypts stored secrets (FLOWPORT_SECRET_KEY). For a zero-setup
 * start it is generated once into the data dir; production must set it, since a
 * key beside the data it protects protects little.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { logger } from "../log";

let cached: Buffer | undefined;

export function secretKey(): Buffer {
  if (cached) return cached;
  const { FLOWPORT_SECRET_KEY, dataDir } = env();
  if (FLOWPORT_SECRET_KEY) return (cached = Buffer.from(FLOWPORT_SECRET_KEY, "base64"));
  const file = path.join(dataDir, "secret.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    logger().warn(
      { file },
      "FLOWPORT_SECRET_KEY is not set: generated one into the data dir. Production must set FLOWPORT_SECRET_KEY (openssl rand -base64 32).",
    );
  }
  return (cached = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64"));
}
