import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../test/support/api.js';

/*
 * A hostile client against the running API: every attack of the hardening review in one place,
 * each answered with a 4xx at once while the service keeps answering everyone else.
 */
const { api, db } = useTestApi();

let tenant: TestTenant;
let receiver: Server;
let receiverUrl: string;
let received = 0;

beforeAll(async () => {
  tenant = await createTestTenant(db);
  // A receiver on loopback, as a service inside the operator's network would be.
  receiver = createServer((req, res) => {
    received++;
    res.end('internal secrets');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

interface Answer {
  error?: { message: string; details?: { errors?: { path: string; message: string }[] } };
  channels?: unknown[];
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Answer; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tenant.apiKey.secret}`, ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Answer, ms: performance.now() - started };
}

describe('a hostile client', () => {
  it('cannot point a webhook or Slack channel inside the network: 400 naming the field, and the loopback receiver gets nothing', async () => {
    const targets = [
      receiverUrl,
      receiverUrl.replace('127.0.0.1', 'localhost'),
      receiverUrl.replace('127.0.0.1', '127.1'),
      receiverUrl.replace('127.0.0.1', '2130706433'),
      receiverUrl.replace('127.0.0.1', '0x7f000001'),
      receiverUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]'),
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://10.1.2.3/', 'http://192.168.0.1/', 'http://172.16.0.1/', 'http://100.64.0.1/', 'http://[fd00::1]/', 'http://0.0.0.0/',
    ];
    for (const url of targets) {
      const hook = await call('POST', '/v1/channels', { type: 'webhook', name: 'h', url });
      expect({ url, status: hook.status, field: hook.body.error?.details?.errors?.[0]?.path }).toEqual({ url, status: 400, field: 'url' });
      const slack = await call('POST', '/v1/channels', { type: 'slack', name: 's', webhookUrl: url });
      expect({ url, status: slack.status, field: slack.body.error?.details?.errors?.[0]?.path }).toEqual({ url, status: 400, field: 'webhookUrl' });
    }
    expect((await call('GET', '/v1/channels')).body.channels).toEqual([]);
    expect(received).toBe(0);
  });

  it('cannot freeze the API with a 200 KB number-like CSV cell: answered 400 within 1 s while /healthz keeps answering within 200 ms', async () => {
    const csv = `amount,country\n${'1'.repeat(200_000)}x,DE\n`;
    let polling = true;
    const health: number[] = [];
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        const res = await fetch(`${api.url}/healthz`);
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const upload = await call('POST', '/v1/models/fraud/reference?name=hostile', csv, { 'content-type': 'text/csv' });
    await new Promise((r) => setTimeout(r, 100));
    polling = false;
    await poll;
    expect(upload.status).toBe(400);
    expect(upload.body.error?.message).toMatch(/row 1, column "amount"/);
    expect(upload.ms).toBeLessThan(1_000);
    expect(health.length).toBeGreaterThan(2);
    expect(Math.max(...health)).toBeLessThan(200);
  });

  it('cannot make a silence run a backtracking pattern: RE2 patterns only (400 at matchers.N.value otherwise)', async () => {
    const linear = await call('POST', '/v1/silences', { matchers: [{ name: 'column', op: '=~', value: '(\\w|\\w|\\w|\\w)*#' }], durationMinutes: 5 });
    expect(linear.status).toBe(201);
    const backreference = await call('POST', '/v1/silences', { matchers: [{ name: 'model', op: '=', value: 'x' }, { name: 'column', op: '=~', value: '(a+)+\\1' }], durationMinutes: 5 });
    expect(backreference.status).toBe(400);
    expect(JSON.stringify(backreference.body)).toContain('matchers.1.value');
    const lookahead = await call('POST', '/v1/silences', { matchers: [{ name: 'column', op: '!~', value: '(?=a)a' }], durationMinutes: 5 });
    expect(lookahead.status).toBe(400);
    expect(JSON.stringify(lookahead.body)).toContain('matchers.0.value');
  });

  it('spends no measurable CPU inflating 1,000 unauthenticated gzip bodies', async () => {
    // Each body inflates to 8 MB of JSON-ish text: inflating 1,000 of them would take seconds.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"predictions":['), Buffer.alloc(8 * 1024 * 1024, 0x20), Buffer.from(']}')]));
    const tiny = gzipSync(Buffer.from('{"predictions":[]}'));
    const send = async (body: Buffer) => {
      const statuses = new Map<number, number>();
      const cpu = process.cpuUsage();
      for (let i = 0; i < 1_000; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            const res = await fetch(`${api.url}/v1/predictions`, {
              method: 'POST',
              headers: { authorization: 'Bearer vgl_not-a-real-key', 'content-type': 'application/json', 'content-encoding': 'gzip' },
              body,
            });
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }),
        );
      }
      const used = process.cpuUsage(cpu);
      return { statuses, cpuMs: (used.user + used.system) / 1000 };
    };
    const baseline = await send(tiny);
    const bombs = await send(bomb);
    // Refused unread: 401, then 429 once this address has used its budget of failures.
    expect([...bombs.statuses.keys()].every((s) => s === 401 || s === 429)).toBe(true);
    expect(bombs.statuses.get(429) ?? 0).toBeGreaterThan(0);
    // The client and the API share this process: the bombs cost what the tiny bodies cost
    // (sending 8 KB instead of 40 bytes), not the ~10 ms each that inflating 8 MB would.
    expect(bombs.cpuMs).toBeLessThan(baseline.cpuMs * 1.5 + 1_000);
    console.log(`1,000 unauthenticated bodies: tiny ${Math.round(baseline.cpuMs)} ms CPU, gzip bombs ${Math.round(bombs.cpuMs)} ms CPU (${bomb.length} bytes each, 8 MB inflated)`);
  });
});
