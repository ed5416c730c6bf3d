/**
 * What the execution log may keep (issue 15): any header or body field whose name looks like a
 * credential is replaced with "[redacted]" before a row is written, however deep it sits in a
 * body, a response or a trace, plus the fields a flow names in `options.redactFields`. A list of
 * six header names let `X-Auth-Token`, `Api-Key` or a `password` body field through verbatim.
 *
 * The test is on the name's words (camelCase, snake_case and kebab-case split), so `GST_No`,
 * `author` or `keyField` stay readable while `x-auth-token`, `apiKey`, `sessionId`,
 * `client_secret` and `Passwd` go. Two names are kept on purpose: `Idempotency-Key` (a retry
 * identifier chosen by the caller, not a credential, which support needs to match a retried call;
 * it is stored in the idempotency table anyway), `WWW-Authenticate` (a challenge), and our own tokens keep their public prefix
 * (`fpk_xxxxxxxx_[redacted]`), so a log still says which key called. Only logs are redacted:
 * the records a flow stores are business data and keep every field.
 */
export const REDACTED = "[redacted]";

/** A word of a name holding any of these (auth: not author/authority, but authorization). */
const SECRET_WORD = /token|secret|passw|pwd|cookie|session|signature|auth(?!or(?!i[sz]))/;
/** Names with a secret-looking word that are not secrets. */
const KEPT_NAMES = new Set(["idempotency-key", "x-idempotency-key", "idempotencykey", "idempotency_key", "www-authenticate", "wwwauthenticate"]);

const wordsOf = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const verdicts = new Map<string, boolean>();

/**
 * Whether a header or field name looks like a credential. "key" counts as the last word only
 * (`x-api-key`, `privateKey`, `Primary_Key`) — as a first word it is usually a business field.
 */
export function isSecretName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict !== undefined) return verdict;
  const words = wordsOf(name);
  verdict = !KEPT_NAMES.has(name.toLowerCase()) && (words.some((w) => SECRET_WORD.test(w)) || (words.at(-1)?.endsWith("key") ?? false));
  // Names repeat across calls (the same headers, the same body fields): remember a bounded set.
  if (verdicts.size < 10_000) verdicts.set(name, verdict);
  return verdict;
}

/** Request headers as logged (lower-cased names): secrets redacted, our tokens' prefixes kept. */
export function redactHeaders(headers: Record<string, string>, extraFields?: readonly string[]): Record<string, string> {
  const extra = extraSet(extraFields);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretName(name) || extra?.has(name.toLowerCase()) ? redactValue(name, value) : value;
  }
  return out;
}

/**
 * `value` with every field named like a secret (or named in `extraFields`, case-insensitive)
 * replaced, at any depth, in objects and arrays. Copy on write: a value with nothing to redact
 * is returned as is (the incoming hot path logs every call), and the input is never changed
 * (the engine's trace shares its objects with the flow's records).
 */
export function redactLogged<T>(value: T, extraFields?: readonly string[]): T {
  return redactDeep(value, extraSet(extraFields), 0) as T;
}

/** Past this depth a value is left alone: the incoming side refuses bodies nested deeper than 64. */
const MAX_DEPTH = 200;

function redactDeep(value: unknown, extra: Set<string> | undefined, depth: number): unknown {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = redactDeep(value[i], extra, depth + 1);
      if (next !== value[i]) (out ??= value.slice())[i] = next;
    }
    return out ?? value;
  }
  if (value instanceof Date) return value;
  if (isTruncatedPreview(value)) {
    const preview = redactJsonText(value.preview, extra);
    return preview === value.preview ? value : { ...value, preview };
  }
  let out: Record<string, unknown> | undefined;
  for (const [name, item] of Object.entries(value)) {
    let next: unknown;
    if (item !== null && item !== undefined && (isSecretName(name) || extra?.has(name.toLowerCase()))) {
      next = typeof item === "string" ? redactValue(name, item) : REDACTED;
    } else {
      next = redactDeep(item, extra, depth + 1);
    }
    if (next !== item) (out ??= { ...(value as Record<string, unknown>) })[name] = next;
  }
  return out ?? value;
}

/** The engine's cut trace value (server/engine/trace.ts): JSON text no longer parseable by field. */
const isTruncatedPreview = (value: object): value is { truncated: true; preview: string } =>
  (value as { truncated?: unknown }).truncated === true && typeof (value as { preview?: unknown }).preview === "string";

/**
 * A JSON member: its name, then a string (possibly cut off by the preview's end) or a scalar. The name
 * is bounded (names are short): unbounded, a run of `"\"\"…` made every quote scan to the end, which is
 * quadratic in the text's length (a 320 KB run took 67 s).
 */
const JSON_MEMBER = /"((?:[^"\\]|\\.){0,256})"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|-?\d[\d.eE+-]*|true|false|null)/g;

/** Secret-named scalar members of a cut JSON text, replaced in place (objects under them are walked by their own names). */
function redactJsonText(text: string, extra: Set<string> | undefined): string {
  return text.replace(JSON_MEMBER, (member, name: string, colon: string) =>
    isSecretName(name) || extra?.has(name.toLowerCase()) ? `"${name}"${colon}"${REDACTED}"` : member,
  );
}

function extraSet(fields: readonly string[] | undefined): Set<string> | undefined {
  return fields && fields.length > 0 ? new Set(fields.map((f) => f.toLowerCase())) : undefined;
}

/** Keeps the scheme and the public prefix of our own tokens (fpk_xxxxxxxx) so logs still say who called. */
function redactValue(name: string, value: string): string {
  if (value === REDACTED) return value;
  const scheme = name.toLowerCase() === "authorization" ? /^(\w+)\s+/.exec(value)?.[1] : undefined;
  const token = scheme ? value.slice(scheme.length).trim() : value;
  const prefix = /^(fp[kt]_[A-Za-z0-9]{8})_/.exec(token)?.[1];
  return `${scheme ? `${scheme} ` : ""}${prefix ? `${prefix}_` : ""}${REDACTED}`;
}

/** A URL's user-info password: scheme://user:password@host. */
const URL_PASSWORD = /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+@/gi;
/** An Authorization scheme and its credentials. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g;
/** name=value or name: value, unquoted or quoted (a query string, a connection string, a message). */
const NAMED_VALUE = /(?<![\w-])([A-Za-z][\w-]*)(\s*[=:]\s*)((?:Bearer|Basic|Token)\s+)?("[^"]*"|'[^']*'|[^\s,;&)\]}"']+)/g;

/**
 * Free text (an error's message or stack, as a process log keeps it) with what looks like a
 * credential replaced: a URL's password, a Bearer/Basic token, and the value of any secret-named
 * `name=value` or `name: value`. The rest stays readable: a log line must still say what failed.
 */
export function redactText(text: string): string {
  return redactJsonText(text, undefined)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(NAMED_VALUE, (...pair: NamedValue) => redactNamedValue(pair, 0))
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

type NamedValue = [pair: string, name: string, sep: string, scheme: string | undefined, value: string];

/**
 * One name=value: the value redacted when the name is a secret's, else searched in turn, a few levels
 * deep ("said: token=…"; a long run of "a:a:a…" must not recurse without end).
 */
function redactNamedValue([pair, name, sep, scheme, value]: NamedValue, depth: number): string {
  if (value.includes(REDACTED)) return pair;
  if (isSecretName(name)) return `${name}${sep}${scheme ?? ""}${REDACTED}`;
  if (depth >= 4) return pair;
  return `${name}${sep}${scheme ?? ""}${value.replace(NAMED_VALUE, (...inner: NamedValue) => redactNamedValue(inner, depth + 1))}`;
}
