import { connect } from 'node:net';
import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi, useTestDb } from '../../test/support/api.js';

const db = useTestDb();

/**
 * Sends the head of an authenticated JSON POST (the key is checked before the body is read) and
 * only the first bytes of its body, then waits for whatever the server answers (the connection
 * is left open: the client stalls).
 */
async function stalledPost(url: string, path: string): Promise<{ status: number; text: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const key = (await createTestTenant(db)).apiKey.secret;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"predictions": [`,
      );
    });
    let received = Buffer.alloc(0);
    const answered = () => {
      const text = received.toString('utf8');
      const head = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      return head >= 0 && length !== undefined && received.length >= head + 4 + Number(length) ? text : null;
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = answered();
      if (text !== null) {
        socket.destroy();
        resolve({ status: Number(text.slice(9, 12)), text, ms: Date.now() - started });
      }
    });
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 10 s; received: ${received}`));
    }, 10_000);
  });
}

describe('API security headers', () => {
  // X-Forwarded-Proto counts only from a trusted proxy: here the test client on loopback.
  const { api } = useTestApi({ VIGIL_TRUSTED_PROXIES: 'loopback' });

  it('sends nosniff and no-referrer on every response: success, 401, 404 and a malformed URL', async () => {
    for (const [path, status] of [
      ['/healthz', 200],
      ['/v1/models', 401],
      ['/nope', 404],
      ['/v1/models/%E0%A4%A', 400],
    ] as const) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('sends Strict-Transport-Security only when the request came over TLS (X-Forwarded-Proto from the proxy)', async () => {
    const tls = await fetch(`${api.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const tlsError = await fetch(`${api.url}/v1/models`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tlsError.status).toBe(401);
    expect(tlsError.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('API security headers without a trusted proxy', () => {
  const { api } = useTestApi();

  it('ignores a client-written X-Forwarded-Proto: no HSTS over plain HTTP', async () => {
    const res = await fetch(`${api.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('request timeouts', () => {
  describe('body read timeout', () => {
    const { api } = useTestApi({ HTTP_BODY_TIMEOUT_MS: '300' });

    it('answers 408 naming HTTP_BODY_TIMEOUT_MS when a JSON body stalls', async () => {
      const res = await stalledPost(api.url, '/v1/predictions');
      expect(res.status).toBe(408);
      expect(res.text).toContain('"code":"REQUEST_TIMEOUT"');
      expect(res.text).toContain('HTTP_BODY_TIMEOUT_MS (300 ms)');
      expect(res.ms).toBeLessThan(5_000);
    });
  });

  describe('handler timeout', () => {
    const { api } = useTestApi({ HTTP_HANDLER_TIMEOUT_MS: '300', HTTP_IDLE_TIMEOUT_MS: '5000', HTTP_UPLOAD_TIMEOUT_MS: '120000' });

    it('answers 503 with Retry-After naming HTTP_HANDLER_TIMEOUT_MS when a request is not answered in time', async () => {
      const res = await stalledPost(api.url, '/v1/predictions');
      expect(res.status).toBe(503);
      expect(res.text).toMatch(/retry-after: 5/i);
      expect(res.text).toContain('"code":"HANDLER_TIMEOUT"');
      expect(res.text).toContain('HTTP_HANDLER_TIMEOUT_MS (300 ms)');
    });

    it('bounds the socket: idle connections and the time any request may take to arrive', () => {
      const server = api.app.getHttpServer();
      expect(server.timeout).toBe(5_000);
      expect(server.requestTimeout).toBe(120_000);
    });
  });
});
