import pino from "pino";
import { describe, expect, it } from "vitest";
import { logOptions } from "./log";

/** A logger with the app's own options, its lines kept. */
function capture() {
  const lines: string[] = [];
  const log = pino(logOptions("debug"), { write: (line: string) => void lines.push(line) });
  return { log, text: () => lines.join("") };
}

describe("the process log keeps secrets out of logged errors", () => {
  it("redacts a connection string's password, a secret-named pair and a token in the message and the stack", () => {
    const { log, text } = capture();
    const error = new Error("connect ECONNREFUSED postgres://flowport:hunter2@10.0.0.7:5432/erp (password=hunter2, Authorization: Bearer eyJsecret.part.x)");
    log.error({ err: error }, "database unreachable");
    const line = JSON.parse(text()) as { err: { message: string; stack: string; type: string } };
    expect(text()).not.toContain("hunter2");
    expect(text()).not.toContain("eyJsecret");
    // Still says what failed, and where.
    expect(line.err.type).toBe("Error");
    expect(line.err.message).toBe("connect ECONNREFUSED postgres://flowport:[redacted]@10.0.0.7:5432/erp (password=[redacted], Authorization: Bearer [redacted])");
    expect(line.err.stack).toContain("log.test.ts");
  });

  it("redacts an error's own secret-named fields at any depth, and its cause", () => {
    const { log, text } = capture();
    const cause = new Error("upstream said: token=abc123def");
    const error = Object.assign(new Error("request failed", { cause }), { status: 502, request: { url: "https://portal.example.com/vendors", headers: { authorization: "Basic dXNlcjpzZWNyZXQ=", "x-api-key": "k-123456" } } });
    log.warn({ err: error }, "delivery failed");
    expect(text()).not.toContain("dXNlcjpzZWNyZXQ");
    expect(text()).not.toContain("k-123456");
    expect(text()).not.toContain("abc123def");
    expect(text()).toContain("portal.example.com/vendors");
    expect(text()).toContain('"status":502');
  });

  it("redacts an err that is not an Error", () => {
    const { log, text } = capture();
    log.error({ err: "login refused for postgres://app:pa55word@db/erp" }, "odd failure");
    expect(text()).not.toContain("pa55word");
    expect(text()).toContain("postgres://app:[redacted]@db/erp");
  });
});
