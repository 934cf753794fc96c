/** Next.js serves the pages only; Socket.IO shares its port through server/index.ts. */
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The dev server serves its scripts to these hosts only; tests and phones use the IP.
  allowedDevOrigins: ['127.0.0.1', '*.local'],
  // better-sqlite3 is native and only the custom server loads it; keep it out of the bundles.
  serverExternalPackages: ['better-sqlite3'],
  // `npm run typecheck` checks the whole repo (tests and server included) before any build;
  // checking again inside `next build` would only double the build time on 2 cores.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
