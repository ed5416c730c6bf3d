/**
 * How much one expression may build or chew through in a single step: the sizes JSONata's built-in
 * functions may produce or take, the length of lists, how long one regular expression may match.
 * jsonata's time box (250 ms in the engine) is checked between evaluation steps only, so one step
 * (`$pad('', 100000000)`, `$string([1..3000000])`, one regex over a long text) used to run to its
 * end however long it took, holding the event loop; these limits make every step short, and the
 * functions check them before doing the expensive work (flows/functions/budgets.ts).
 *
 * Chosen so that legitimate ERP payloads never reach them: an incoming body is at most 1 MiB
 * (server/incoming/http-io.ts MAX_BODY_BYTES), so no string in it is longer than 1,048,576
 * characters and no array in it holds more than 524,288 items (`[0,0,…]`, two bytes an item).
 * Costs quoted are measured on the development machine (bench: 2 cores); a slower machine scales them.
 *
 * Client-safe: the designer's live preview registers the same functions, so it stops where the
 * engine stops.
 */

/** An incoming body's maximum size (server/incoming/http-io.ts MAX_BODY_BYTES), restated for the browser. */
export const BODY_BYTES = 1024 * 1024;

/**
 * Characters a function may produce or take: 4× the largest body, so `$string` of a whole body,
 * even pretty-printed (indentation grows a flat array of numbers about 3.5×), and a few copies of
 * it joined, still fit. Building or scanning 4 million characters takes tens of milliseconds
 * (`$string` of objects, the slowest, about 45 ns a character).
 */
export const MAX_TEXT_LENGTH = 4_000_000;

/**
 * Items in one list: JSONata's `sequence` option (ranges `[1..n]`, path results, `$append`, array
 * constructors) and the array functions. 2^20: twice the most items a 1 MiB body can hold, and
 * enough for `$split` of the longest string a body can carry into single characters. jsonata's
 * own range cap, 1e7, costs ~170 ms to allocate before anything else can run.
 */
export const MAX_LIST_ITEMS = 1024 * 1024;

/**
 * Characters one regular expression may search: one body's worth. Matching is linear in the text
 * (RE2, flows/safe-regex.ts): a text without a match costs one DFA pass (~10 ns a character); a
 * match spanning the whole text, located with its groups, ~200 ns a character, so the slowest
 * single search over the longest text allowed takes ~0.2 s.
 */
export const MAX_REGEX_TEXT_LENGTH = BODY_BYTES;

/**
 * How long one regular expression (one `$match`, `$replace`, `$split` or `$contains` call) may spend
 * matching, all its searches together. Each search is linear, but a call searches again after every
 * match, and a pattern like /x*y|x/ rescans the rest of the text each time (quadratic in the
 * text). Equal to the engine's whole time box: no legitimate call can need more than the
 * expression it belongs to is allowed. (re2js spends ~2 µs a match: a call with 100,000 matches
 * over a 1 MiB text takes ~200 ms, close to it.)
 */
export const REGEX_TIME_BUDGET_MS = 250;

/**
 * Picture strings ($formatNumber, $formatInteger, $parseInteger, $fromMillis, $toMillis, $formatDate,
 * $parseDate): real pictures are a few dozen characters; their analysis is linear but not cheap.
 */
export const MAX_PICTURE_LENGTH = 1_000;

/**
 * Text `$eval` may parse: parsing is one step (about 0.3 µs a character), and evaluating what it
 * parsed is time-boxed. Enough for a JSON document of ~100 KB kept in a string field.
 */
export const MAX_EVAL_TEXT_LENGTH = 100_000;

const NUMBER = new Intl.NumberFormat("en-US");

/** 100000000 → "100,000,000". */
export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/**
 * One of these limits reached: thrown by the budgeted functions and the regex engine, turned into
 * the engine's EXPRESSION_LIMIT error (server/engine/jsonata.ts) and shown as is by the preview.
 * `code` is read by jsonata's error handling like its own codes (it has no message template for it,
 * so the message stays ours).
 */
export class ExpressionLimitError extends Error {
  readonly code = "EXPRESSION_LIMIT";

  constructor(
    /** `$pad`, `$string`, `regular expression /…/`, `result`, `list`. */
    readonly subject: string,
    readonly limit: number,
    readonly unit: "characters" | "items" | "ms",
    message: string,
  ) {
    super(message);
    this.name = "ExpressionLimitError";
  }
}

/** "$pad would produce 100,000,000 characters; the limit is 4,000,000". */
export function wouldProduce(fn: string, amount: number, limit: number, unit: "characters" | "items", atLeast = false): ExpressionLimitError {
  const how = atLeast ? `more than ${formatCount(limit)}` : formatCount(amount);
  return new ExpressionLimitError(`$${fn}`, limit, unit, `$${fn} would produce ${how} ${unit}; the limit is ${formatCount(limit)}`);
}

/** "$uppercase was given 5,000,000 characters; the limit is 4,000,000". */
export function wasGiven(fn: string, amount: number, limit: number, unit: "characters" | "items", what = ""): ExpressionLimitError {
  return new ExpressionLimitError(`$${fn}`, limit, unit, `$${fn} was given ${what}${formatCount(amount)} ${unit}; the limit is ${formatCount(limit)}`);
}

/**
 * jsonata's own list errors as our limit: D2015 (over its `sequence` option, MAX_LIST_ITEMS: a range,
 * a path result, an append) and D2014 (a range over 1e7). Undefined for any other error.
 */
export function listLimitError(err: unknown): ExpressionLimitError | undefined {
  const e = err as { code?: unknown; value?: unknown } | null;
  if (e?.code !== "D2015" && e?.code !== "D2014") return undefined;
  const value = Number(e.value);
  const amount = Number.isFinite(value) && value > MAX_LIST_ITEMS ? formatCount(value) : `more than ${formatCount(MAX_LIST_ITEMS)}`;
  return new ExpressionLimitError("list", MAX_LIST_ITEMS, "items", `The expression would build a list of ${amount} items; the limit is ${formatCount(MAX_LIST_ITEMS)}`);
}
