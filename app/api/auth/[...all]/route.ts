/** better-auth's endpoints (sign-in, sign-out, session) under /api/auth. */
import { handleAuthRequest } from "@/server/auth/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export { handleAuthRequest as GET, handleAuthRequest as POST };
