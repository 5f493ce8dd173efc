import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './src/security-headers';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or Node-specific code stay external to the bundle.
  serverExternalPackages: ['@vigil/db', '@vigil/services', '@prisma/client', '@prisma/adapter-pg', 'pg', '@node-rs/argon2'],
  typedRoutes: false,
  // Every response, static files included (the CSP and HSTS come from src/proxy.ts).
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default config;
