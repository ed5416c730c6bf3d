/** Connection and credential names the catalogue knows: for graph validation and the designer's pickers; secrets never leave the server. */
import type { Queryable } from "@/server/db/queryable";
import { listConnections } from "@/server/outgoing/connections";
import { listCredentials } from "@/server/outgoing/credentials";

export interface KnownNames {
  connections: string[];
  credentials: string[];
}

export async function knownNames(sql: Queryable): Promise<KnownNames> {
  const [connections, credentials] = await Promise.all([listConnections(sql), listCredentials(sql)]);
  return { connections: connections.map((c) => c.name), credentials: credentials.map((c) => c.name) };
}
