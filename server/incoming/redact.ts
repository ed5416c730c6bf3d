/** Request headers as logged: credentials and signatures never reach the database. */
const SECRET_HEADERS = new Set(["authorization", "x-api-key", "cookie", "set-cookie", "webhook-signature", "proxy-authorization"]);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name) ? redactValue(name, value) : value;
  }
  return out;
}

/** Keeps the scheme and the public prefix of our own tokens (fpk_xxxxxxxx) so logs still say who called. */
function redactValue(name: string, value: string): string {
  const scheme = name === "authorization" ? /^(\w+)\s+/.exec(value)?.[1] : undefined;
  const token = scheme ? value.slice(scheme.length).trim() : value;
  const prefix = /^(fp[kt]_[A-Za-z0-9]{8})_/.exec(token)?.[1];
  return `${scheme ? `${scheme} ` : ""}${prefix ? `${prefix}_` : ""}[redacted]`;
}
