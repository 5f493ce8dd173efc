import { NO_INTERNAL_RECEIVERS, parseReceiverAllowList } from '@vigil/contracts';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpReceiver } from '../../../../test/support/receivers.js';
import { ADDRESS_NOT_ALLOWED, guardedAgent, guardedLookup } from './guarded-dispatcher.js';
import { DeliveryError, postJson } from './http.js';

const http = new HttpReceiver();
const byName = parseReceiverAllowList('localhost');

beforeAll(async () => {
  await http.start();
  http.route('/secret', (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('root:x:0:0 INTERNAL-SECRET-TOKEN'));
  http.route('/redirect', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
  http.route('/endless', (_req, res) => {
    // 200 at once, then a body that never ends: 64 KB every few milliseconds.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 120);
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(chunk)), 2);
    res.on('close', () => clearInterval(timer));
  });
});
afterAll(() => http.close());

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DeliveryError) return err;
    throw err;
  }
  throw new Error('expected the delivery to fail');
}

describe('sending to receivers', () => {
  it('refuses an internal receiver before connecting, in every spelling', async () => {
    for (const url of [`${http.url}/x`, `http://2130706433:${new URL(http.url).port}/x`, `http://[::ffff:127.0.0.1]:${new URL(http.url).port}/x`, `${http.nameUrl}/x`, 'http://169.254.169.254/latest/meta-data/']) {
      expect((await failure(postJson(url, '{}', { receivers: NO_INTERNAL_RECEIVERS }))).message).toBe('address not allowed');
    }
    expect(http.requests.filter((r) => r.path === '/x')).toEqual([]);
  });

  it('checks every address a name resolves to when it connects, and connects to the one it checked', async () => {
    // The client's own lookup: a name is refused for its addresses, not for how it is spelled.
    const refusal = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(NO_INTERNAL_RECEIVERS)('localhost', { all: true }, (err) => resolve(err)));
    expect(refusal?.code).toBe(ADDRESS_NOT_ALLOWED);
    const err = await fetch(`${http.nameUrl}/lookup`, { method: 'POST', body: '{}', dispatcher: guardedAgent(NO_INTERNAL_RECEIVERS) }).then(
      () => null,
      (e: Error & { cause?: { code?: string } }) => e,
    );
    expect(err?.cause?.code).toBe(ADDRESS_NOT_ALLOWED);
    expect(http.requests.filter((r) => r.path === '/lookup')).toEqual([]);

    // The operator's allow-list, by range: the same lookup hands the socket what it checked.
    const allowed = await new Promise<unknown>((resolve) => guardedLookup(parseReceiverAllowList('127.0.0.0/8,::1'))('localhost', { all: true }, (_e, addresses) => resolve(addresses)));
    expect(allowed).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]));
  });

  it('delivers to a host the operator allows by name', async () => {
    expect(await postJson(`${http.nameUrl}/allowed`, '{"ok":true}', { receivers: byName })).toEqual({ statusCode: 200 });
    expect(http.ok('/allowed')).toHaveLength(1);
  });

  it("keeps the receiver's answer out of the error, which gives the status in its own words", async () => {
    const err = await failure(postJson(`${http.nameUrl}/secret`, '{}', { receivers: byName }));
    expect(err.message).toBe('receiver answered 500');
    expect(err.statusCode).toBe(500);
    expect(err.message).not.toContain('SECRET');
  });

  it('follows no redirect', async () => {
    expect((await failure(postJson(`${http.nameUrl}/redirect`, '{}', { receivers: byName }))).message).toBe('receiver answered with a redirect (not followed)');
  });

  it('does not read a receiver that streams an endless answer', async () => {
    const started = Date.now();
    expect(await postJson(`${http.nameUrl}/endless`, '{}', { receivers: byName })).toEqual({ statusCode: 200 });
    // Reading it would last until the 10 s timeout (and buffer everything sent meanwhile).
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('says so when nothing listens, without the system error text', async () => {
    const err = await failure(postJson('http://localhost:1/', '{}', { receivers: byName }));
    expect(err.message).toBe('could not connect');
  });
});
