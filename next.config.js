/** Next.js serves the pages only; Socket.IO shares its port through server/index.ts. */
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is native and only the custom server loads it; keep it out of the bundles.
  serverExternalPackages: ['better-sqlite3'],
};

export default nextConfig;
