/**
 * Size checks shared by the budgeted built-ins (budgets.ts) and the rewritten ones
 * (rewritten-builtins.ts): lengths counted the way jsonata counts them, checked against ./limits.ts
 * before the expensive work.
 */
import { MAX_LIST_ITEMS, MAX_PICTURE_LENGTH, MAX_TEXT_LENGTH, wasGiven, wouldProduce } from "./limits";

/** Code points, as jsonata's $length counts. */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * jsonata's function values as they reach our functions and results: a lambda (`function($x){…}`)
 * or a built-in/registered function, each an object marked by jsonata. The one place that reads
 * those markers (jsonata-public-api.test.ts allows them here only): jsonata's API has no
 * `isFunction`, and these values are data our functions are handed.
 */
export function isJsonataLambda(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as { _jsonata_lambda?: unknown })._jsonata_lambda === true;
}

export function isJsonataFunction(value: unknown): boolean {
  return (
    typeof value === "function" ||
    isJsonataLambda(value) ||
    (value !== null && typeof value === "object" && (value as { _jsonata_function?: unknown })._jsonata_function === true)
  );
}

/**
 * Whether `JSON.stringify(value, …, prettify ? 2 : 0)` would be longer than `limit` characters,
 * estimated without building it (strings counted without escapes). Stops as soon as it knows, so
 * its cost is bounded by the limit, not by the value.
 */
export function jsonLengthExceeds(value: unknown, prettify: boolean, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const item = stack.pop();
    const depth = depths.pop()!;
    switch (typeof item) {
      case "string":
        size += item.length + 2;
        break;
      case "number":
        size += String(item).length;
        break;
      case "boolean":
        size += item ? 4 : 5;
        break;
      case "object": {
        if (item === null) {
          size += 4;
          break;
        }
        if (isJsonataFunction(item)) {
          size += 2;
          break;
        }
        const indent = prettify ? 2 * (depth + 1) + 1 : 0;
        if (Array.isArray(item)) {
          size += 2 + item.length * (1 + indent);
          for (let i = item.length - 1; i >= 0; i--) {
            stack.push(item[i]);
            depths.push(depth + 1);
          }
        } else {
          const keys = Object.keys(item);
          size += 2;
          for (const key of keys) {
            size += key.length + 4 + indent + (prettify ? 1 : 0);
            stack.push((item as Record<string, unknown>)[key]);
            depths.push(depth + 1);
          }
        }
        break;
      }
      default:
        // undefined (dropped or null) and functions ("").
        size += 4;
    }
    if (size > limit) return true;
  }
  return false;
}

export function checkText(fn: string, text: unknown, what = ""): void {
  if (typeof text === "string" && text.length > MAX_TEXT_LENGTH) throw wasGiven(fn, text.length, MAX_TEXT_LENGTH, "characters", what);
}

export function checkPicture(fn: string, picture: unknown): void {
  if (typeof picture === "string" && picture.length > MAX_PICTURE_LENGTH) {
    throw wasGiven(fn, picture.length, MAX_PICTURE_LENGTH, "characters", "a picture of ");
  }
}

export function checkListResult(fn: string, result: unknown): unknown {
  if (Array.isArray(result) && result.length > MAX_LIST_ITEMS) throw wouldProduce(fn, result.length, MAX_LIST_ITEMS, "items");
  return result;
}

export function checkTextResult(fn: string, result: unknown): unknown {
  if (typeof result === "string" && result.length > MAX_TEXT_LENGTH) throw wouldProduce(fn, result.length, MAX_TEXT_LENGTH, "characters");
  return result;
}

/**
 * Applies `check` to a result that may still be a promise. (Not named `then`: a module exporting
 * `then` is a thenable, and `await import()` of it would call it.)
 */
export function whenSettled(result: unknown, check: (value: unknown) => unknown): unknown {
  return result instanceof Promise ? result.then(check) : check(result);
}
