/**
 * PostgreSQL refuses NUL in text and jsonb, and unpaired UTF-16 surrogates in jsonb. Log rows
 * quote what callers and external systems sent (error messages, answers), so such characters
 * must not cost us the row: they are replaced with U+FFFD, the Unicode replacement character.
 * Request bodies are refused before this point (server/incoming/http-io.ts); this is for text we
 * only record.
 */

const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with NUL and lone surrogates replaced by U+FFFD. */
export function storableText(text: string): string;
export function storableText(text: string | null | undefined): string | null | undefined;
export function storableText(text: string | null | undefined): string | null | undefined {
  if (typeof text !== "string") return text;
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE, "\ufffd") : text;
}

// JSON.stringify writes a lone surrogate as a \udXXX escape (paired ones stay raw characters) and
// NUL as \u0000; an escape preceded by an even run of backslashes is a real escape, not quoted text.
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

/** JSON text of `value` that jsonb accepts: the same document with unstorable characters replaced. */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value);
  // Every log row passes here on the hot path: the common text has no \u escape at all.
  if (text === undefined || !text.includes("\\u")) return text;
  UNSTORABLE_ESCAPE.lastIndex = 0;
  return UNSTORABLE_ESCAPE.test(text) ? text.replace(UNSTORABLE_ESCAPE, "$1\\ufffd") : text;
}
