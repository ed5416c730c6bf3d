/**
 * Reading an incoming request and writing its answer, on plain node:http: the
 * integration endpoints bypass Next's router for throughput (see server/launcher/run-role.ts).
 * Checks come in the seed's order and each has its own code: 415 for a non-JSON
 * content type, 413 for a body over the limit (refused without reading the rest),
 * 400 INVALID_JSON for bytes that are not UTF-8 JSON. A caller that hangs up mid-body is a
 * ClientAborted, not an error of ours (its ECONNRESET once read as "database unavailable").
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { appErrorMessage, type AppErrorCode } from "@/flows/app-errors";
import { storableText } from "@/server/db/storable-text";
import { AppError, type AppErrorOptions } from "@/server/errors/app-error";

export const MAX_BODY_BYTES = 1024 * 1024;

/** A refusal before the flow runs: its status and default message come from the error table. */
export class HttpProblem extends AppError {
  readonly headers: Record<string, string>;

  constructor(code: AppErrorCode, options: AppErrorOptions & { headers?: Record<string, string> } = {}) {
    super(code, options);
    this.name = "HttpProblem";
    this.headers = options.headers ?? {};
  }
}

/** The caller closed the connection before its body was complete: there is no one left to answer. */
export class ClientAborted extends Error {
  constructor() {
    super("The client closed the connection before sending the whole request body");
    this.name = "ClientAborted";
  }
}

/** The caller's x-request-id when it is a sane token, else a new uuid. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  if (typeof given === "string" && /^[\w.:-]{1,128}$/.test(given)) return given;
  return randomUUID();
}

export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** Reads the body up to `limit` bytes; past it, stops reading and throws 413. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    // node:http reports a hang-up mid-body as an "aborted" ECONNRESET error, or only as a close before end.
    req.once("error", () => reject(new ClientAborted()));
    req.once("close", () => {
      if (!req.complete) reject(new ClientAborted());
    });
  });
}

function tooLarge(limit: number) {
  return new HttpProblem("PAYLOAD_TOO_LARGE", { params: { kib: Math.round(limit / 1024) }, headers: { connection: "close" } });
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body as text and JSON; 400 INVALID_JSON with the parser's reason otherwise. */
export function parseJsonBody(bytes: Buffer): { text: string; value: unknown } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpProblem("INVALID_JSON", { message: "Request body is not valid UTF-8" });
  }
  if (text.trim() === "") throw new HttpProblem("INVALID_JSON", { message: "Request body is empty" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser quotes the offending text, which may hold a lone surrogate that PostgreSQL's json refuses
    // (the log row would be lost): replace those with U+FFFD.
    const reason = storableText((error as Error).message);
    throw new HttpProblem("INVALID_JSON", { message: `${appErrorMessage("INVALID_JSON")}: ${reason}` });
  }
  // NUL and lone surrogates can only arrive as \u escapes (the UTF-8 decoder refuses the raw bytes).
  const problem = unstorable(value, text.includes("\\u"));
  if (problem) throw new HttpProblem("INVALID_JSON", { message: `Request body ${problem}` });
  return { text, value };
}

/** Deeper than this, a body is refused: serializers and the engine recurse, and no ERP record nests so deep. */
export const MAX_JSON_DEPTH = 64;

/** NUL (PostgreSQL text and jsonb refuse it) or a UTF-16 surrogate without its pair. */
const UNSTORABLE_TEXT = /[\0\p{Cs}]/u;

/**
 * Why a parsed body cannot be processed and stored as it is, if so: nesting past MAX_JSON_DEPTH,
 * or (when `checkText`) a string or key PostgreSQL cannot store. Iterative: a hostile depth
 * must not overflow our own stack either.
 */
function unstorable(value: unknown, checkText: boolean): string | undefined {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === "string") {
      if (checkText && UNSTORABLE_TEXT.test(item)) return "contains a NUL character (\\u0000) or an unpaired surrogate, which cannot be stored";
      continue;
    }
    if (item === null || typeof item !== "object") continue;
    if (depth > MAX_JSON_DEPTH) return `is nested deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(item)) {
      for (const element of item) stack.push([element, depth + 1]);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (checkText && UNSTORABLE_TEXT.test(key)) return "contains a NUL character (\\u0000) or an unpaired surrogate, which cannot be stored";
      stack.push([(item as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(text);
  // A body we stopped reading (413) must not be parsed as the next request.
  if (headers.connection === "close") res.once("finish", () => res.req?.destroy());
}

/** Header values as one lower-cased string map (repeated headers joined as node does). */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
