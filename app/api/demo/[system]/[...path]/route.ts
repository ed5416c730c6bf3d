/**
 * Stand-ins for the external systems of the example outgoing flows (an accounting
 * system and a payment portal), so a fresh install delivers end to end. They ask
 * for a credential header and answer with a reference id, as the real ones would.
 * The seeded demo connections point here; replace them with real endpoints.
 */
import { randomInt } from "node:crypto";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const SYSTEMS: Record<string, { credentialHeader: string; answer: () => { status: number; body: unknown } }> = {
  accounting: {
    credentialHeader: "authorization",
    answer: () => ({ status: 200, body: { status: "received", referenceId: `ACC-${randomInt(100000, 999999)}` } }),
  },
  "payment-portal": {
    credentialHeader: "x-api-key",
    answer: () => ({ status: 201, body: { data: { vendorId: `PP-${randomInt(100000, 999999)}` } } }),
  },
};

export async function POST(request: Request, ctx: { params: Promise<{ system: string }> }) {
  const system = SYSTEMS[(await ctx.params).system];
  if (!system) return Response.json({ error: "unknown demo system" }, { status: 404 });
  if (!request.headers.get(system.credentialHeader)) return Response.json({ error: "missing credentials" }, { status: 401 });
  try {
    await request.json();
  } catch {
    return Response.json({ error: "invalid JSON" }, { status: 400 });
  }
  const { status, body } = system.answer();
  return Response.json(body, { status });
}
