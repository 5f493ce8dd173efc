import { NextResponse, type NextRequest } from 'next/server';
import { env } from '~/env';
import { contentSecurityPolicy, HSTS_VALUE, shouldSendHsts } from './security-headers';

/**
 * Per request: a fresh nonce and the Content-Security-Policy built on it (Next.js reads the
 * policy from the request headers and puts the nonce on its own scripts), and HSTS when the app
 * is reached over TLS. Static files get the static headers of next.config.ts only.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const e = env();
  const csp = contentSecurityPolicy(nonce, e.NODE_ENV === 'development');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  if (shouldSendHsts(e.WEB_URL, request.headers.get('x-forwarded-proto'))) response.headers.set('Strict-Transport-Security', HSTS_VALUE);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
