import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import nextConfig from '../next.config';
import { proxy } from './proxy';
import { contentSecurityPolicy, shouldSendHsts } from './security-headers';

describe('security headers of the web app', () => {
  it('sends nosniff, a referrer policy and no framing on every path, static files included', async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === '/:path*');
    const headers = Object.fromEntries(all!.headers.map((h) => [h.key.toLowerCase(), h.value]));
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['x-frame-options']).toBe('DENY');
  });

  it('gives each page a CSP with a fresh nonce, frame-ancestors none and no unsafe script sources, and hands the nonce to Next.js', () => {
    const first = proxy(new NextRequest('http://localhost:3000/models/abc'));
    const second = proxy(new NextRequest('http://localhost:3000/models/abc'));
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    // Next.js reads the policy (and the nonce) from the request headers it passes on.
    expect(first.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
  });

  it('sends HSTS only over TLS: an https public URL or an https forwarded proto', () => {
    expect(proxy(new NextRequest('http://localhost:3000/')).headers.get('strict-transport-security')).toBeNull();
    const behindTls = proxy(new NextRequest('http://localhost:3000/', { headers: { 'x-forwarded-proto': 'https' } }));
    expect(behindTls.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    expect(shouldSendHsts('https://vigil.example.com', null)).toBe(true);
    expect(shouldSendHsts('http://localhost:3000', 'http')).toBe(false);
    expect(contentSecurityPolicy('abc', true)).toContain("'unsafe-eval'");
  });
});
