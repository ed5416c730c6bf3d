/**
 * The entry behind `npm start`, `npm run dev`, `start:web` and `start:worker`: reads the
 * configuration, then either supervises web and worker as two processes
 * (launcher/supervisor.ts: `npm start` on two or more cores, FLOWPORT_PROCESSES) or runs
 * FLOWPORT_ROLE in this process (launcher/run-role.ts).
 */
import { ConfigError, env, type Env } from "./env";
import { processCount } from "./launcher/lifecycle";
import { runRole } from "./launcher/run-role";
import { runSupervisor } from "./launcher/supervisor";

function readConfig(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
process.env.NEXT_TELEMETRY_DISABLED = "1";
void (processCount(config) === 2 ? runSupervisor(config) : runRole(config));
