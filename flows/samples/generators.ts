/**
 * Sample generators: `{{unique}}`, `{{today}}`, `{{now}}` and `{{uuid}}` inside a sample's string
 * values, resolved afresh on every run, so a sample that expects SUCCESS stays true after the
 * database has seen the same record (a GSTIN must be new to be saved, a GRN reference too).
 *
 * Why here: the CLI (`flows test`), the designer's dry run, the engine's sample runner and the
 * OpenAPI examples all resolve samples the same way. Pure and client-safe (Web Crypto only).
 *
 * `{{unique}}` is shaped to fit its field, so it passes the flow's own format rules:
 *  1. an explicit shape wins: `{{unique:gstin}}`, `:pan`, `:mobile`, `:email`, `:pincode`, `:ifsc`,
 *     `:digits`, `:text`;
 *  2. else, when the token is the whole value, the field's name decides (gst/gstin → GSTIN with a
 *     valid check character, pan → PAN, mobile/phone → Indian mobile, email/mail → address,
 *     pin/pincode/zip → PIN code, ifsc → IFSC);
 *  3. else (inside a longer text, or any other name) an upper-case letters-and-digits token.
 * Expectations may use `{{payload.<path>}}` for a value the payload generated (`{{payload.gstNumber}}`);
 * `{{today}}` and `{{now}}` read one clock per sample run, so payload and expectation agree.
 */
import { gstinCheckCharacter } from "../nodes/validate/formats";

/** A JSON value as z.json() gives it (a sample payload). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const GENERATOR_NAMES = ["unique", "today", "now", "uuid"] as const;
export const UNIQUE_SHAPES = ["gstin", "pan", "mobile", "email", "pincode", "ifsc", "digits", "text"] as const;
export type UniqueShape = (typeof UNIQUE_SHAPES)[number];

/** `{{name}}`, `{{unique:shape}}` or `{{payload.path}}` (expectations), spaces inside allowed. */
const TOKEN = /\{\{\s*(unique(?::[a-z]+)?|today|now|uuid|payload\.[^}\s]+)\s*\}\}/g;

/** One generated value of a run: where it is, what was written and what it became. */
export interface GeneratedValue {
  /** Path as the parse preview writes it (`gstNumber`, `punches[0].punchTime`), `expect.…` for expectations. */
  path: string;
  text: string;
  value: string;
}

export interface GeneratorOptions {
  /** The run's clock (one per sample run). */
  now?: Date;
  /** Random source, for tests; Web Crypto by default. */
  randomInt?: (exclusiveMax: number) => number;
  /** Fixed documentation values instead of fresh ones (OpenAPI examples): stable across loads. */
  example?: boolean;
}

export function hasGenerators(value: unknown): boolean {
  if (typeof value === "string") return new RegExp(TOKEN.source).test(value);
  if (Array.isArray(value)) return value.some(hasGenerators);
  if (value && typeof value === "object") return Object.values(value).some(hasGenerators);
  return false;
}

function cryptoInt(exclusiveMax: number): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0]! % exclusiveMax;
}

/** The shape a whole-value `{{unique}}` takes from its field's name (rule 2 above). */
export function shapeForField(field: string | undefined): UniqueShape {
  const name = (field ?? "").toLowerCase().replace(/[^a-z]/g, "");
  if (/gst/.test(name)) return "gstin";
  if (/^pan(no|number)?$|panno|pannumber/.test(name)) return "pan";
  if (/mobile|phone|cell/.test(name)) return "mobile";
  if (/e?mail/.test(name)) return "email";
  if (/^(pin|pincode|zip|zipcode|postcode|postalcode)$/.test(name)) return "pincode";
  if (/ifsc/.test(name)) return "ifsc";
  return "text";
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Documentation values per shape (the seed's own where it has one). */
const EXAMPLES: Record<UniqueShape, string> = {
  gstin: "27ABCDE1234F1Z5",
  pan: "ABCDE1234F",
  mobile: "9876543210",
  email: "sample@example.com",
  pincode: "400001",
  ifsc: "HDFC0001234",
  digits: "1234567890",
  text: "SAMPLE1",
};

class Generator {
  private readonly rand: (n: number) => number;
  readonly now: Date;
  constructor(private readonly options: GeneratorOptions) {
    this.rand = options.randomInt ?? cryptoInt;
    this.now = options.now ?? new Date();
  }
  private pick(alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[this.rand(alphabet.length)];
    return out;
  }
  private digits(n: number): string {
    return this.pick("0123456789", n);
  }
  /** A time-ordered prefix plus randomness: two runs in the same millisecond still differ. */
  private token(): string {
    return (this.now.getTime().toString(36) + this.pick(ALNUM, 5)).toUpperCase();
  }
  unique(shape: UniqueShape): string {
    if (this.options.example) return EXAMPLES[shape];
    switch (shape) {
      case "gstin": {
        // State code 01–37, a PAN (5 letters, 4 digits, 1 letter), entity number, Z, check character:
        // 26^6 · 10^4 · 35 ≈ 10^14 values, so runs do not meet.
        const state = String(1 + this.rand(37)).padStart(2, "0");
        const first14 = `${state}${this.pick(LETTERS, 5)}${this.digits(4)}${this.pick(LETTERS, 1)}${this.pick(ALNUM.slice(1), 1)}Z`;
        return first14 + gstinCheckCharacter(first14)!;
      }
      case "pan":
        return `${this.pick(LETTERS, 5)}${this.digits(4)}${this.pick(LETTERS, 1)}`;
      case "mobile":
        return `${"6789"[this.rand(4)]}${this.digits(9)}`;
      case "email":
        return `sample-${this.token().toLowerCase()}@example.com`;
      case "pincode":
        return `${1 + this.rand(9)}${this.digits(5)}`;
      case "ifsc":
        return `${this.pick(LETTERS, 4)}0${this.pick(ALNUM, 6)}`;
      case "digits":
        return this.digits(12);
      case "text":
        return this.token();
    }
  }
  value(name: string, field: string | undefined, whole: boolean, payload: unknown): string | undefined {
    if (name === "today") return this.now.toISOString().slice(0, 10);
    if (name === "now") return this.now.toISOString();
    if (name === "uuid") return this.options.example ? "00000000-0000-4000-8000-000000000000" : globalThis.crypto.randomUUID();
    if (name.startsWith("payload.")) {
      const found = readPath(payload, name.slice("payload.".length));
      return found === undefined ? undefined : typeof found === "string" ? found : JSON.stringify(found);
    }
    const explicit = name.split(":")[1];
    if (explicit !== undefined) {
      if (!(UNIQUE_SHAPES as readonly string[]).includes(explicit)) throw new SampleGeneratorError(`{{${name}}}: unknown shape "${explicit}"; use one of ${UNIQUE_SHAPES.join(", ")}`);
      return this.unique(explicit as UniqueShape);
    }
    return this.unique(whole ? shapeForField(field) : "text");
  }
}

/** A generator the sample names wrongly (an unknown shape, a payload path that is not there). */
export class SampleGeneratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SampleGeneratorError";
  }
}

function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** `["punches", "0", "punchTime"]` → `punches[0].punchTime`; odd keys in backticks, as JSONata reads them. */
function formatPath(path: string[]): string {
  let out = "";
  for (const part of path) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += (out === "" ? "" : ".") + (/^[A-Za-z_]\w*$/.test(part) ? part : `\`${part.replace(/`/g, "")}\``);
  }
  return out;
}

function resolveValue(gen: Generator, value: JsonValue, path: string[], out: GeneratedValue[], payload: unknown): JsonValue {
  if (typeof value === "string") {
    const matches = [...value.matchAll(TOKEN)];
    if (matches.length === 0) return value;
    const whole = matches.length === 1 && matches[0]![0] === value;
    const field = [...path].reverse().find((p) => !/^\d+$/.test(p));
    const resolved = value.replace(TOKEN, (text, name: string) => {
      const v = gen.value(name, field, whole, payload);
      if (v === undefined) throw new SampleGeneratorError(`${text} at ${formatPath(path)}: the payload has no ${name.slice("payload.".length)}`);
      return v;
    });
    // A whole-value payload reference keeps the referenced value's type (a number stays a number).
    if (whole && matches[0]![1]!.startsWith("payload.")) {
      const ref = readPath(payload, matches[0]![1]!.slice("payload.".length));
      if (ref !== undefined) {
        out.push({ path: formatPath(path), text: value, value: resolved });
        return ref as JsonValue;
      }
    }
    out.push({ path: formatPath(path), text: value, value: resolved });
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveValue(gen, item, [...path, String(i)], out, payload));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(gen, v as JsonValue, [...path, k], out, payload)]));
  }
  return value;
}

/** Resolves generators in one value (a payload, a curl body); `generated` lists what was replaced. */
export function resolveGenerators<T extends JsonValue>(value: T, options: GeneratorOptions = {}): { value: T; generated: GeneratedValue[] } {
  const generated: GeneratedValue[] = [];
  const resolved = resolveValue(new Generator(options), value, [], generated, undefined) as T;
  return { value: resolved, generated };
}

export interface SampleLike {
  payload: JsonValue;
  expect?: object;
}

/**
 * A sample ready to run: its payload's generators resolved, and its expectation's `{{payload.…}}`,
 * `{{today}}` and `{{now}}` resolved against that payload with the same clock.
 */
export function resolveSample<S extends SampleLike>(sample: S, options: GeneratorOptions = {}): { sample: S; generated: GeneratedValue[] } {
  const gen = new Generator(options);
  const generated: GeneratedValue[] = [];
  const payload = resolveValue(gen, sample.payload, [], generated, undefined);
  const resolved: S = { ...sample, payload };
  if (sample.expect) {
    const expectGenerated: GeneratedValue[] = [];
    resolved.expect = resolveValue(gen, sample.expect as JsonValue, [], expectGenerated, payload) as S["expect"];
    generated.push(...expectGenerated.map((g) => ({ ...g, path: `expect.${g.path}` })));
  }
  return { sample: resolved, generated };
}
