import { describe, expect, it } from "vitest";
import { eachAlone, tickBatcher } from "./tick-batcher";

describe("tickBatcher", () => {
  it("hands the calls of one event-loop turn to one flush, answering each on its own", async () => {
    const flushed: number[][] = [];
    const double = tickBatcher<number, number>(async (items) => {
      flushed.push(items);
      return items.map((n) => (n < 0 ? { ok: false, error: new Error(`negative ${n}`) } : { ok: true, value: n * 2 }));
    });
    const first = await Promise.allSettled([double(1), double(-2), double(3)]);
    const second = await double(4);
    expect(flushed).toEqual([[1, -2, 3], [4]]);
    expect(first.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([2, "negative -2", 6]);
    expect(second).toBe(8);
  });

  it("rejects every call of a flush that throws, and keeps working afterwards", async () => {
    let fail = true;
    const echo = tickBatcher<string, string>(async (items) => {
      if (fail) throw new Error("database gone");
      return items.map((value) => ({ ok: true, value }));
    });
    const results = await Promise.allSettled([echo("a"), echo("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await echo("c")).toBe("c");
  });

  it("eachAlone keeps each item's own outcome", async () => {
    const results = await eachAlone([1, 2], async (n) => {
      if (n === 2) throw new Error("two");
      return n;
    });
    expect(results).toEqual([{ ok: true, value: 1 }, { ok: false, error: new Error("two") }]);
  });
});
