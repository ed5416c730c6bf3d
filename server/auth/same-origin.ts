/**
 * Whether a browser request that changes something (a POST: tRPC mutations, sign-in and out)
 * comes from the console's own pages. Cookies are SameSite=Lax and tRPC wants a JSON content
 * type, but that alone is a weak wall (issue 15); checking the origin before anything parses the
 * body is the one rule for /api/trpc and /api/auth. Browsers send `Origin` on every POST; when a
 * proxy strips it, `Sec-Fetch-Site: same-origin` (set by the browser, never by a page's script)
 * is accepted instead. A request with neither is not from our pages: refused.
 */
import { env } from "@/server/env";

export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    const requestHost = request.headers.get("host") ?? new URL(request.url).host;
    return host === requestHost || origin === new URL(env().publicUrl).origin;
  }
  return request.headers.get("sec-fetch-site") === "same-origin";
}

export const CROSS_ORIGIN_MESSAGE = "Cross-origin request refused: changes are accepted only from the console's own pages.";
