import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { capLoggedBody, MAX_LOGGED_BODY_BYTES, recordExecution } from "./record-execution";

const database = useTestDatabase();

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

describe("recordExecution", () => {
  it("keeps the row when a message or an answer quotes NUL or a lone surrogate, replacing them with U+FFFD", async () => {
    const { sql } = database();
    // Seen in CI: a generated call whose error message quoted a NUL lost its log row.
    const id = await recordExecution(sql, {
      startedAt: new Date(),
      direction: "incoming",
      flowSlug: "nul\u0000slug",
      status: "FAILED",
      httpStatus: 404,
      errorCode: "NOT_FOUND",
      errorMessage: "No endpoint \u0000 here \ud800 or \udc00 but 😀 is fine",
      durationMs: 1,
      request: { body: { "k\u0000": "a\u0000b", lone: "x\ud83d", pair: "😀", quoted: "\\u0000 stays text" } },
      response: { status: 404, body: ["\udfff"] },
    });
    const [row] = await sql<{ flow_slug: string; error_message: string; request: unknown; response: unknown }[]>`
      select flow_slug, error_message, request, response from executions where id = ${id}`;
    expect(row!.flow_slug).toBe("nul\ufffdslug");
    expect(row!.error_message).toBe("No endpoint \ufffd here \ufffd or \ufffd but 😀 is fine");
    expect(row!.request).toEqual({ body: { "k\ufffd": "a\ufffdb", lone: "x\ufffd", pair: "😀", quoted: "\\u0000 stays text" } });
    expect(row!.response).toEqual({ status: 404, body: ["\ufffd"] });
  });
});
