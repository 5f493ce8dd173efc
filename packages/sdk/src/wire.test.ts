import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vigil, type LabelInput, type PredictionInput } from './index.js';

/** The wire format shared with the Python SDK (packages/sdk-python/tests/test_wire.py reads the same file). */
interface WireCase {
  name: string;
  options: { batchSize?: number };
  calls: ({ logPrediction: PredictionInput } | { logLabel: LabelInput })[];
  invalid?: number;
  requests: { path: string; gzip: boolean; body: unknown }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../contracts/fixtures/sdk-wire.json', import.meta.url), 'utf8'),
) as {
  apiKey: string;
  cases: WireCase[];
};

interface Captured {
  path: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
}

describe('wire format (packages/contracts/fixtures/sdk-wire.json)', () => {
  let server: Server;
  let url: string;
  const captured: Captured[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        captured.push({ path: req.url ?? '', headers: req.headers, raw });
        const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString(
          'utf8',
        );
        const body = JSON.parse(text) as Record<string, unknown[]>;
        const n = Object.values(body)[0]!.length;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ accepted: n, duplicates: 0, rejected: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('has cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const c of fixture.cases) {
    it(c.name, async () => {
      captured.length = 0;
      const vigil = new Vigil({
        apiKey: fixture.apiKey,
        endpoint: url,
        concurrency: 1,
        flushIntervalMs: 60_000,
        exitHooks: false,
        ...c.options,
      });
      for (const call of c.calls) {
        if ('logPrediction' in call) vigil.logPrediction(call.logPrediction);
        else vigil.logLabel(call.logLabel);
      }
      await vigil.flush();
      await vigil.shutdown();
      expect(vigil.stats().dropped.invalid).toBe(c.invalid ?? 0);
      expect(captured.map((r) => r.path)).toEqual(c.requests.map((r) => r.path));
      c.requests.forEach((expected, i) => {
        const got = captured[i]!;
        expect(got.headers['content-type']).toBe('application/json');
        expect(got.headers.authorization).toBe(`Bearer ${fixture.apiKey}`);
        expect(got.headers['content-encoding']).toBe(expected.gzip ? 'gzip' : undefined);
        const text = (expected.gzip ? gunzipSync(got.raw) : got.raw).toString('utf8');
        // The same JSON text as the fixture's body (key order included), not just equal values.
        expect(text).toBe(JSON.stringify(expected.body));
      });
    });
  }
});
