import { describe, expect, it } from "vitest";
import { capLoggedBody, MAX_LOGGED_BODY_BYTES } from "./record-execution";

describe("capLoggedBody", () => {
  it("cuts an outgoing body over the cap to a flagged preview and leaves small or already measured ones alone", () => {
    const big = { status: 200, body: { data: "x".repeat(MAX_LOGGED_BODY_BYTES + 10) } };
    const capped = capLoggedBody(big) as { body: { truncated: boolean; size: number; preview: string }; bodyTruncated: boolean; status: number };
    expect(capped.status).toBe(200);
    expect(capped.bodyTruncated).toBe(true);
    expect(capped.body.truncated).toBe(true);
    expect(capped.body.preview.length).toBe(MAX_LOGGED_BODY_BYTES);
    const small = { status: 200, body: { ok: true } };
    expect(capLoggedBody(small)).toBe(small);
    const measured = { body: "y".repeat(MAX_LOGGED_BODY_BYTES + 1), bodyTruncated: false };
    expect(capLoggedBody(measured)).toBe(measured);
    expect(capLoggedBody(undefined)).toBeUndefined();
  });
});
