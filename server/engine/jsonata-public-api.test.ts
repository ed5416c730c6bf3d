/**
 * Flowport uses jsonata through its public API only (issue 19): what jsonata.d.ts declares
 * (`jsonata(text, options)`, `evaluate`, `assign`, `registerFunction`, `ast`, a function's
 * `this.environment.lookup/timestamp` and `this.input`). Its private hooks (`__evaluate_entry`,
 * `__createFrame_push`, set through `Symbol.for("jsonata.…")`), a function value's
 * `.implementation`, frames' `base`, and jsonata's own source files are internals that change with
 * any release: this test fails on any file under server/ or flows/ that reaches them. Two data
 * shapes jsonata hands our functions are allowed, each in one file: the function-value markers
 * (`_jsonata_function`, `_jsonata_lambda`: flows/functions/sizes.ts) and sequences
 * (`this.createSequence()`, `.sequence`: flows/functions/rewritten-builtins.ts, which returns a
 * sequence where jsonata's own function does, so results unwrap alike).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SELF = path.relative(ROOT, import.meta.filename);

interface Rule {
  name: string;
  pattern: RegExp;
  /** Files (relative to the repository) where the pattern is allowed. */
  allowedIn?: string[];
}

const RULES: Rule[] = [
  { name: "jsonata's private evaluation hook", pattern: /__evaluate_entry|__evaluate_exit/ },
  { name: "jsonata's private frame hook", pattern: /__createFrame/ },
  { name: "a jsonata-private Symbol.for name", pattern: /Symbol\.for\(\s*["'`]jsonata\./ },
  { name: "a function value's .implementation", pattern: /\.implementation\b/ },
  { name: "a jsonata frame's base", pattern: /environment\.base\b|\.base\.(guardrails|depth|options|createSequence)\b/ },
  { name: "jsonata's own source files", pattern: /from\s+["']jsonata\/|require\(\s*["']jsonata\// },
  { name: "jsonata's function-value markers", pattern: /_jsonata_(function|lambda)\b/, allowedIn: ["flows/functions/sizes.ts"] },
  { name: "jsonata's sequences", pattern: /\bcreateSequence\b/, allowedIn: ["flows/functions/rewritten-builtins.ts"] },
];

const EXTENSIONS = /\.(ts|tsx|mts|js|mjs|cjs)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...filesUnder(relative));
    } else if (EXTENSIONS.test(entry.name) && relative !== SELF) {
      out.push(relative);
    }
  }
  return out;
}

/** Every use of a jsonata internal in `text`, as "file:line: rule". */
function internalsIn(file: string, text: string): string[] {
  const found: string[] = [];
  const lines = text.split("\n");
  for (const rule of RULES) {
    if (rule.allowedIn?.includes(file)) continue;
    lines.forEach((line, i) => {
      if (rule.pattern.test(line)) found.push(`${file}:${i + 1}: ${rule.name}: ${line.trim()}`);
    });
  }
  return found;
}

describe("jsonata through its public API only", () => {
  it("no file under server/ or flows/ reaches jsonata's internals", () => {
    const files = [...filesUnder("server"), ...filesUnder("flows")];
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => internalsIn(file, fs.readFileSync(path.join(ROOT, file), "utf8")))).toEqual([]);
  });

  it("recognises each internal (the scan can fail)", () => {
    const samples = [
      'const ENTRY_HOOK = Symbol.for("jsonata.__evaluate_entry") as unknown as string;',
      "expr.assign(FRAME_HOOK_NAME, framePushed); // __createFrame_push",
      "const hook = Symbol.for('jsonata.anything');",
      "return builtins[name].implementation.apply(focus, args);",
      "const state = frame.environment.base;",
      'import { evaluate } from "jsonata/src/jsonata";',
      "if (value._jsonata_lambda) return;",
      "const result = this.createSequence();",
    ];
    for (const sample of samples) expect(internalsIn("server/x.ts", sample).length, sample).toBeGreaterThanOrEqual(1);
    expect(internalsIn("flows/functions/sizes.ts", "value._jsonata_function === true")).toEqual([]);
    expect(internalsIn("server/x.ts", 'expr.registerFunction("now", fn, "<s?s?:s>"); expr.evaluate(input, bindings);')).toEqual([]);
  });
});
