/**
 * Profiling aid (not part of `npm run bench`): the incoming handler alone on
 * node:http, exactly as server/launcher/run-role.ts mounts it but without Next, so a CPU
 * profile shows only the hot path. Boots (migrates, seeds) FLOWPORT_DATA_DIR's
 * embedded PostgreSQL; prints "ready <pgUrl>". argv: <port> [profile file]: with
 * a file, SIGUSR2 starts the V8 profiler (after the warm-up) and SIGTERM writes
 * the profile before exiting.
 */
import fs from "node:fs";
import http from "node:http";
import { Session } from "node:inspector/promises";
import { boot } from "../../server/boot";
import { handleIncoming } from "../../server/incoming/handle-incoming";

const [port, profileFile] = [Number(process.argv[2]), process.argv[3]];
const { database } = await boot({ role: "owner" });
const server = http.createServer((req, res) => void handleIncoming(database.sql, req, res));
server.listen(port, "127.0.0.1", () => process.stdout.write(`ready ${database.url}\n`));

const session = profileFile ? new Session() : undefined;
let profiling = false;
process.on("SIGUSR2", () => {
  if (!session || profiling) return;
  profiling = true;
  session.connect();
  void session.post("Profiler.enable").then(() => session.post("Profiler.start"));
});
process.once("SIGTERM", async () => {
  if (session && profiling) {
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(profileFile!, JSON.stringify(profile));
  }
  server.close();
  server.closeAllConnections();
  await database.close();
  process.exit(0);
});
