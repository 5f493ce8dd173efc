import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or Node-specific code stay external to the bundle.
  serverExternalPackages: ['@vigil/db', '@vigil/services', '@prisma/client', '@prisma/adapter-pg', 'pg', '@node-rs/argon2'],
  typedRoutes: false,
};

export default config;
