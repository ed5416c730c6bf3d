// Child process: runs one load test described by argv[2] (JSON) and prints the result as JSON.
// With `sendLog` (a file path), it also writes every answered request there as [gstin, sentAt epoch ms, status]:
// the chain bench matches them with the receiver's arrivals.
import fs from "node:fs";
import { runLoad } from "./load";

const spec = JSON.parse(process.argv[2]!) as { url: string; connections: number; durationMs: number; headers: Record<string, string>; prefix: string; sendLog?: string };
/** Unique, valid GSTINs: 2 digits, 5 letters, 4 digits, letter, [1-9A-Z], Z, [0-9A-Z]. */
const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const gstin = (i: number) => {
  const l = (n: number) => letters[Math.floor(n) % 26]!;
  return `27${spec.prefix}${l(i / 10000)}${l(i / 260000)}${String(i % 10000).padStart(4, "0")}${l(i / 6760000)}1Z5`;
};
const sends: [string, number, number][] = [];
const result = await runLoad({
  ...spec,
  onAnswer: spec.sendLog ? (i, sentAt, status) => sends.push([gstin(i), sentAt, status]) : undefined,
  body: (i) =>
    JSON.stringify({ vendorName: `Bench Vendor ${i}`, gstNumber: gstin(i), contactPerson: "Load Test", mobile: "9876543210", email: "bench@example.com", city: "Mumbai" }),
});
if (spec.sendLog) fs.writeFileSync(spec.sendLog, JSON.stringify(sends));
process.stdout.write(`${JSON.stringify(result)}\n`);
