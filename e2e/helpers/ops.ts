/**
 * For the operations journeys: a direct line to the running app's embedded PostgreSQL (to check
 * what the screens claim), and a local receiver standing in for the accounting system.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import postgres from "postgres";

/** The e2e app's database, from its data dir (password file and postmaster.pid). */
export function appDatabase() {
  const dir = process.env.E2E_DATA_DIR!;
  const { password } = JSON.parse(fs.readFileSync(path.join(dir, "embedded-postgres.json"), "utf8")) as { password: string };
  const port = Number(fs.readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]);
  return postgres(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/flowport`, { max: 2, onnotice: () => undefined });
}

export interface Receiver {
  url: string;
  /** "fail": 500 to everything; "ok": 201 with a reference id. */
  mode: "fail" | "ok";
  bodies: unknown[];
  close(): Promise<void>;
}

export async function startReceiver(referenceId: string): Promise<Receiver> {
  const receiver: Receiver = { url: "", mode: "fail", bodies: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      try {
        receiver.bodies.push(JSON.parse(text));
      } catch {
        receiver.bodies.push(text);
      }
      res.setHeader("content-type", "application/json");
      if (receiver.mode === "fail") {
        res.statusCode = 500;
        res.end(JSON.stringify({ status: "error", message: "accounting is down" }));
      } else {
        res.statusCode = 201;
        res.end(JSON.stringify({ status: "success", referenceId }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
