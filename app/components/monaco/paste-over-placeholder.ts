/**
 * A new sample's editor holds an empty `{}`. Clicking into it and pasting a JSON document put the
 * document inside (or after) the braces: `{{"vendorName": …}}`, doubled brackets and not JSON. When a
 * paste is a whole JSON object or array, the editor held nothing but an empty `{}` or `[]`, and the
 * result of the paste does not parse, the pasted document replaces the placeholder.
 */
export function pasteReplacesPlaceholder(before: string, pasted: string, after: string): boolean {
  const rest = (before + after).replace(/\s+/g, "");
  if (rest !== "{}" && rest !== "[]") return false;
  if (parses(before + pasted + after)) return false;
  try {
    const value: unknown = JSON.parse(pasted);
    return value !== null && typeof value === "object";
  } catch {
    return false;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
