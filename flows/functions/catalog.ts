/**
 * The functions an expression can call, with their signatures and a line of help: JSONata's built-ins
 * and Flowport's own (registered by flows/functions/pure.ts and server/engine/functions). The designer's
 * editor completes them and shows their signature while the arguments are typed.
 */

export interface FunctionDoc {
  /** Without the `$`. */
  name: string;
  params: { name: string; optional?: boolean; doc?: string }[];
  doc: string;
  origin: "jsonata" | "flowport";
  group: string;
}

const fn = (group: string, name: string, params: string, doc: string, origin: FunctionDoc["origin"] = "jsonata"): FunctionDoc => ({
  name,
  group,
  doc,
  origin,
  params:
    params === ""
      ? []
      : params.split(",").map((p) => {
          const t = p.trim();
          return t.endsWith("?") ? { name: t.slice(0, -1), optional: true } : { name: t };
        }),
});

export const FLOWPORT_FUNCTIONS: FunctionDoc[] = [
  fn("Flowport", "formatDate", "value, picture, timeZone?", "Writes an ISO date, date-time or epoch millis with a picture: $formatDate(\"2025-12-12\", \"DD/MM/YYYY\") → \"12/12/2025\".", "flowport"),
  fn("Flowport", "parseDate", "text, picture", "Reads a date written with a picture into ISO form: $parseDate(\"12/12/2025\", \"DD/MM/YYYY\") → \"2025-12-12\".", "flowport"),
  fn("Flowport", "gstinValid", "value, strict?", "True when the value is a well-formed GSTIN; strict also checks its check character.", "flowport"),
  fn("Flowport", "lookup", "master, key, field?", "The ERP record or master entry whose key (or `field`) equals `key`: $lookup(\"City\", city).State. With an object as first argument it is JSONata's $lookup.", "flowport"),
  fn("Flowport", "uuid", "", "A random UUID.", "flowport"),
  fn("Flowport", "now", "picture?, timeZone?", "The execution's time as ISO-8601 (fixed during one run, so replays are repeatable).", "flowport"),
  fn("Flowport", "millis", "", "The execution's time in milliseconds since the epoch.", "flowport"),
];

export const JSONATA_FUNCTIONS: FunctionDoc[] = [
  fn("String", "string", "arg, prettify?", "Casts the argument to a string."),
  fn("String", "length", "str", "The number of characters in the string."),
  fn("String", "substring", "str, start, length?", "The part of the string from `start` (0-based), `length` characters long."),
  fn("String", "substringBefore", "str, chars", "The part of the string before the first occurrence of `chars`."),
  fn("String", "substringAfter", "str, chars", "The part of the string after the first occurrence of `chars`."),
  fn("String", "uppercase", "str", "The string in upper case."),
  fn("String", "lowercase", "str", "The string in lower case."),
  fn("String", "trim", "str", "Removes leading and trailing whitespace and collapses inner runs to one space."),
  fn("String", "pad", "str, width, char?", "Pads the string to `width` characters (negative width pads on the left); at most 4,000,000."),
  fn("String", "contains", "str, pattern", "True when the string contains the pattern (text or regex)."),
  fn("String", "split", "str, separator, limit?", "Splits the string into an array."),
  fn("String", "join", "array, separator?", "Joins an array of strings."),
  fn("String", "match", "str, pattern, limit?", "Regex matches with their groups. Regexes run in linear time (RE2): no backreferences, lookahead or lookbehind."),
  fn("String", "replace", "str, pattern, replacement, limit?", "Replaces occurrences of the pattern."),
  fn("String", "eval", "expr, context?", "Evaluates a JSONata expression given as text."),
  fn("String", "base64encode", "str", "Base64 of the string."),
  fn("String", "base64decode", "str", "Decodes base64."),
  fn("String", "encodeUrlComponent", "str", "Percent-encodes a URL component."),
  fn("String", "encodeUrl", "str", "Percent-encodes a URL."),
  fn("String", "decodeUrlComponent", "str", "Decodes a percent-encoded URL component."),
  fn("String", "decodeUrl", "str", "Decodes a percent-encoded URL."),
  fn("Number", "number", "arg", "Casts to a number: \"85000\" → 85000."),
  fn("Number", "abs", "number", "The absolute value."),
  fn("Number", "floor", "number", "Rounds down."),
  fn("Number", "ceil", "number", "Rounds up."),
  fn("Number", "round", "number, precision?", "Rounds half to even at `precision` decimals."),
  fn("Number", "power", "base, exponent", "base to the power of exponent."),
  fn("Number", "sqrt", "number", "The square root."),
  fn("Number", "random", "", "A random number between 0 and 1."),
  fn("Number", "formatNumber", "number, picture, options?", "Formats a number with a decimal picture: $formatNumber(1234.5, \"#,##0.00\")."),
  fn("Number", "formatBase", "number, radix?", "The number written in another base."),
  fn("Number", "formatInteger", "number, picture", "Formats an integer (words, roman numerals, …)."),
  fn("Number", "parseInteger", "string, picture", "Reads an integer written with a picture."),
  fn("Aggregation", "sum", "array", "The sum of the numbers."),
  fn("Aggregation", "max", "array", "The largest number."),
  fn("Aggregation", "min", "array", "The smallest number."),
  fn("Aggregation", "average", "array", "The mean of the numbers."),
  fn("Boolean", "boolean", "arg", "Casts to a boolean with JSONata's truthiness."),
  fn("Boolean", "not", "arg", "The negation."),
  fn("Boolean", "exists", "arg", "True when the argument has a value."),
  fn("Array", "count", "array", "The number of items."),
  fn("Array", "append", "array1, array2", "Joins two arrays."),
  fn("Array", "sort", "array, function?", "Sorts the array."),
  fn("Array", "reverse", "array", "Reverses the array."),
  fn("Array", "shuffle", "array", "Shuffles the array."),
  fn("Array", "distinct", "array", "Removes duplicates."),
  fn("Array", "zip", "array1, array2", "Pairs items of arrays."),
  fn("Object", "keys", "object", "The keys of the object."),
  fn("Object", "spread", "object", "Splits an object into one-key objects."),
  fn("Object", "merge", "array", "Merges an array of objects into one."),
  fn("Object", "sift", "object, function", "The pairs for which the function is true."),
  fn("Object", "each", "object, function", "Calls the function for each pair; returns the results."),
  fn("Object", "error", "message", "Stops with an error."),
  fn("Object", "assert", "condition, message", "Stops with the message when the condition is false."),
  fn("Object", "type", "value", "The JSON type of the value."),
  fn("Date", "fromMillis", "millis, picture?, timezone?", "Milliseconds since the epoch as an ISO-8601 string (or a picture)."),
  fn("Date", "toMillis", "timestamp, picture?", "An ISO-8601 timestamp as milliseconds since the epoch."),
  fn("Higher order", "map", "array, function", "Applies the function to each item."),
  fn("Higher order", "filter", "array, function", "The items for which the function is true."),
  fn("Higher order", "single", "array, function?", "The one item matching (error otherwise)."),
  fn("Higher order", "reduce", "array, function, init?", "Folds the array into one value."),
];

/** Flowport's functions win where both define a name ($lookup, $now, $millis). */
export const ALL_FUNCTIONS: FunctionDoc[] = [
  ...FLOWPORT_FUNCTIONS,
  ...JSONATA_FUNCTIONS.filter((j) => !FLOWPORT_FUNCTIONS.some((f) => f.name === j.name)),
];

export function functionSignature(f: FunctionDoc): string {
  return `$${f.name}(${f.params.map((p) => (p.optional ? `${p.name}?` : p.name)).join(", ")})`;
}

/** `$formatDate(` … cursor: which function and which argument the cursor is in, for signature help. */
export function activeCall(textBeforeCursor: string): { name: string; argument: number } | undefined {
  const open: { name?: string; argument: number }[] = [];
  const text = textBeforeCursor;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      // Skip the literal; an unclosed one runs to the cursor, which is then inside it.
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "(") {
      open.push({ name: /\$(\w+)\s*$/.exec(text.slice(0, i))?.[1], argument: 0 });
    } else if (c === "[" || c === "{") {
      open.push({ argument: 0 });
    } else if (c === ")" || c === "]" || c === "}") {
      open.pop();
    } else if (c === "," && open.length > 0) {
      open[open.length - 1]!.argument++;
    }
  }
  const top = open[open.length - 1];
  return top?.name ? { name: top.name, argument: top.argument } : undefined;
}
