/**
 * Two texts as side-by-side diff rows (jsdiff's line diff, paired up): removed lines on the left
 * facing the lines that replaced them on the right, long unchanged stretches folded to a few lines
 * of context, as code review tools show them.
 */
import { diffLines } from "diff";

export interface DiffCell {
  line: number;
  text: string;
}

export type DiffRow =
  | { kind: "same" | "changed" | "removed" | "added"; left?: DiffCell; right?: DiffCell }
  | { kind: "fold"; hidden: number };

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function sideBySide(before: string, after: string, context = 3): DiffRow[] {
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const lines = splitLines(part.value);
    if (part.removed) {
      const next = parts[i + 1];
      const added = next?.added ? splitLines(next.value) : [];
      if (next?.added) i++;
      for (let k = 0; k < Math.max(lines.length, added.length); k++) {
        const left = k < lines.length ? { line: l++, text: lines[k]! } : undefined;
        const right = k < added.length ? { line: r++, text: added[k]! } : undefined;
        rows.push({ kind: left && right ? "changed" : left ? "removed" : "added", left, right });
      }
    } else if (part.added) {
      for (const text of lines) rows.push({ kind: "added", right: { line: r++, text } });
    } else {
      for (const text of lines) rows.push({ kind: "same", left: { line: l++, text }, right: { line: r++, text } });
    }
  }
  return fold(rows, context);
}

/** Folds runs of unchanged rows longer than 2×context+1 into one "n lines hidden" row. */
function fold(rows: DiffRow[], context: number): DiffRow[] {
  const out: DiffRow[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.kind !== "same") {
      out.push(rows[i++]!);
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j]!.kind === "same") j++;
    const run = rows.slice(i, j);
    const keepHead = i === 0 ? 0 : context;
    const keepTail = j === rows.length ? 0 : context;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead), { kind: "fold", hidden: run.length - keepHead - keepTail }, ...run.slice(run.length - keepTail));
    } else out.push(...run);
    i = j;
  }
  return out;
}

export function diffStats(rows: DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const row of rows) {
    if (row.kind === "fold" || row.kind === "same") continue;
    if (row.right) added++;
    if (row.left) removed++;
  }
  return { added, removed };
}
