import http from "node:http";
import type { AddressInfo } from "node:net";
import { BlockList } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { isBlockedAddress, safeRequest } from "./safe-http";

// Names under .flowport-test resolve (here only) to 127.0.0.1; the system resolver knows none of
// them, so a request that succeeds to one proves the socket used our checked answer (no second lookup).
const lookups: string[] = [];
vi.mock("node:dns/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = (async (host: string, options: object) => {
    lookups.push(host);
    if (host.endsWith(".flowport-test")) return [{ address: "127.0.0.1", family: 4 }];
    return actual.lookup(host, options as never);
  }) as typeof actual.lookup;
  return { ...actual, default: { ...actual, lookup }, lookup };
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
interface TestServer {
  port: number;
  url: string;
  received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}
async function startServer(handler: Handler): Promise<TestServer> {
  const received: TestServer["received"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe("isBlockedAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "::1",
    "[::1]",
    "10.0.0.1",
    "172.16.5.4",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "0.1.2.3",
    "100.64.0.1",
    "100.100.100.200",
    "224.0.0.1",
    "255.255.255.255",
    "::ffff:127.0.0.1",
    "[::ffff:127.0.0.1]",
    "::ffff:7f00:1",
    "0:0:0:0:0:ffff:a9fe:a9fe",
    "::ffff:10.1.2.3",
    "::ffff:192.168.0.1",
    "::127.0.0.1",
    "::",
    "fd00::1",
    "fd00:ec2::254",
    "fc00::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1",
    "2002:c0a8:101::1",
    "2001:db8::1",
    "2001:0:4136:e378::1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "::ffff:8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"])(
    "allows the public address %s",
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );
});

describe("safeRequest", () => {
  let server: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === "/json") return void res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end('{"id":"EXT-1"}');
      if (req.url === "/big") return void res.writeHead(200, { "content-type": "application/json" }).end("x".repeat(50_000));
      if (req.url === "/slow") return; // never answers
      if (req.url === "/redirect") return void res.writeHead(302, { location: "/final" }).end();
      if (req.url === "/see-other") return void res.writeHead(303, { location: "/final" }).end();
      if (req.url === "/loop") return void res.writeHead(307, { location: "/loop" }).end();
      if (req.url === "/to-metadata") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      if (req.url === "/to-other") return void res.writeHead(307, { location: `${other.url}/landed` }).end();
      if (req.url === "/to-named") return void res.writeHead(307, { location: `http://hop.flowport-test:${server.port}/final` }).end();
      res.writeHead(200, { "content-type": "text/plain", "x-multi": ["a", "b"] }).end(`hello ${req.method}`);
    });
    other = await startServer((_req, res) => res.writeHead(200).end("other"));
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    lookups.length = 0;
  });

  const call = (path: string, extra: Partial<Parameters<typeof safeRequest>[0]> = {}) =>
    safeRequest({ url: `${server.url}${path}`, method: "GET", timeoutMs: 2000, allowPrivate: true, ...extra });

  it.each([
    ["http://127.0.0.1:1/", "127.0.0.1"],
    ["http://localhost:1/", "localhost"],
    ["http://[::1]:1/", "::1"],
    ["http://10.0.0.1/", "10.0.0.1"],
    ["http://172.16.5.4/", "172.16.5.4"],
    ["http://192.168.1.1/", "192.168.1.1"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://[::ffff:127.0.0.1]:1/", "::ffff:7f00:1"],
    ["http://[fd00::1]/", "fd00::1"],
    ["http://0.0.0.0:1/", "0.0.0.0"],
    ["http://2130706433:1/", "127.0.0.1"],
    ["http://0x7f.1:1/", "127.0.0.1"],
  ])("refuses %s without the admin override, before connecting", async (url, named) => {
    const error = await safeRequest({ url, method: "POST", body: "{}", timeoutMs: 2000, followRedirects: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "EXTERNAL_ERROR", retryable: false, details: { reason: "BLOCKED_ADDRESS" } });
    expect((error as Error).message).toContain(named);
    expect((error as Error).message).toMatch(/admin can allow private targets/);
  });

  it("refuses the test server itself unless allowPrivate, and never sends to it", async () => {
    const before = server.received.length;
    await expect(call("/", { allowPrivate: false, followRedirects: true })).rejects.toMatchObject({ details: { reason: "BLOCKED_ADDRESS" } });
    expect(server.received.length).toBe(before);
  });

  it("connects to the address it checked (no second DNS lookup)", async () => {
    const response = await safeRequest({ url: `http://api.flowport-test:${server.port}/`, method: "GET", timeoutMs: 2000, allowPrivate: true });
    expect(response.status).toBe(200);
    expect(response.remoteAddress).toBe("127.0.0.1");
    expect(lookups).toEqual(["api.flowport-test"]);
    // The Host header keeps the name, so virtual hosts and TLS certificates still match.
    expect(server.received.at(-1)?.headers.host).toBe(`api.flowport-test:${server.port}`);
  });

  it("flattens lower-case headers, parses JSON by content type, otherwise returns text", async () => {
    const text = await call("/");
    expect(text).toMatchObject({ status: 200, body: "hello GET", bodyTruncated: false });
    expect(text.headers["x-multi"]).toBe("a, b");
    expect((await call("/json")).body).toEqual({ id: "EXT-1" });
  });

  it("cuts a body over the cap and flags it", async () => {
    const response = await call("/big", { maxResponseBytes: 1000 });
    expect(response.bodyTruncated).toBe(true);
    expect(response.body).toBe("x".repeat(1000));
  });

  it("times out with a retryable EXTERNAL_ERROR within the timeout and a small margin", async () => {
    const started = Date.now();
    const error = await call("/slow", { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "EXTERNAL_ERROR", retryable: true, details: { reason: "TIMEOUT" } });
    expect(Date.now() - started).toBeLessThan(300 + 700);
  });

  it("reports a refused connection as a retryable NETWORK error", async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    await expect(safeRequest({ url: closed.url, method: "GET", timeoutMs: 2000, allowPrivate: true })).rejects.toMatchObject({
      retryable: true,
      details: { reason: "NETWORK" },
    });
  });

  it("returns a redirect as-is unless following is configured, then follows it", async () => {
    const asIs = await call("/redirect");
    expect(asIs.status).toBe(302);
    expect(asIs.headers.location).toBe("/final");
    const followed = await call("/redirect", { followRedirects: true });
    expect(followed).toMatchObject({ status: 200, body: "hello GET", url: `${server.url}/final` });
    const seeOther = await call("/see-other", { method: "POST", body: '{"a":1}', followRedirects: true });
    expect(seeOther.body).toBe("hello GET");
    await expect(call("/loop", { followRedirects: true })).rejects.toMatchObject({ retryable: false, details: { reason: "TOO_MANY_REDIRECTS" } });
  });

  it("resolves and checks every hop again", async () => {
    await call("/to-named", { followRedirects: true });
    expect(lookups).toEqual(["hop.flowport-test"]);

    // Treat the test server's address as public for this test, so the hop check is what refuses.
    const check = BlockList.prototype.check;
    vi.spyOn(BlockList.prototype, "check").mockImplementation(function (this: BlockList, address, family) {
      return address === "127.0.0.1" ? false : check.call(this, address, family as "ipv4");
    });
    expect((await call("/", { allowPrivate: false })).status).toBe(200);
    await expect(call("/to-metadata", { allowPrivate: false, followRedirects: true })).rejects.toMatchObject({
      details: { reason: "BLOCKED_ADDRESS", address: "169.254.169.254" },
    });
  });

  it("drops credential headers when a redirect leaves the origin", async () => {
    await call("/to-other", { followRedirects: true, headers: { authorization: "Bearer secret-token", "x-api-key": "k-123", "x-trace": "t" }, credentialHeaders: ["X-Api-Key"] });
    const landed = other.received.at(-1)!;
    expect(landed.url).toBe("/landed");
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.headers["x-api-key"]).toBeUndefined();
    expect(landed.headers["x-trace"]).toBe("t");
  });

  it("refuses non-http URLs", async () => {
    await expect(safeRequest({ url: "file:///etc/passwd", method: "GET", timeoutMs: 1000 })).rejects.toMatchObject({ details: { reason: "INVALID_URL" } });
  });
});
