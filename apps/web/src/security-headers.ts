/**
 * The security headers of every web response. The static ones go out from next.config.ts (for
 * static files too); the Content-Security-Policy, which carries a fresh nonce per page, and HSTS,
 * which depends on how the request arrived, are set by proxy.ts.
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // For browsers without CSP frame-ancestors.
  { key: 'X-Frame-Options', value: 'DENY' },
];

/** One year, with subdomains: sent only when the app is reached over TLS. */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * Next.js' documented nonce policy: its scripts carry the nonce ('strict-dynamic' lets them
 * load their chunks); styles may be inline (React style attributes and the chart library use
 * them); no framing, plugins, foreign forms or base URLs. `dev` adds what React's development
 * build needs (eval for error overlays, websocket for hot reload).
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Whether to send HSTS: the public URL is https, or the (trusted, see server.mjs) proxy says the request came over TLS. */
export function shouldSendHsts(webUrl: string, forwardedProto: string | null): boolean {
  return webUrl.startsWith('https:') || forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}
