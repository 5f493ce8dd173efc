import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCredentials } from './credentials.js';
import { DEMO_MODELS, generateHour, type DemoEvent } from './generate.js';
import { deliveryEta } from './models/delivery-eta.js';
import { startSimulator } from './simulator.js';
import { floorHour, HOUR_MS, MINUTE_MS, storyAt } from './story.js';

/** A stand-in for the API's ingest routes: records what the SDK sends, by key. */
interface Received {
  predictions: Map<string, { id: string; model: string; timestamp: number; features: unknown; tags: unknown }>;
  labels: Map<string, { predictionId: string; label: unknown; timestamp: number }>;
  keys: Set<string>;
}

let server: Server;
let endpoint: string;
let received: Received;

beforeEach(async () => {
  received = { predictions: new Map(), labels: new Map(), keys: new Set() };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as {
        predictions?: Received['predictions'] extends Map<string, infer P> ? P[] : never;
        labels?: Received['labels'] extends Map<string, infer L> ? L[] : never;
      };
      received.keys.add(String(req.headers.authorization));
      let accepted = 0;
      let duplicates = 0;
      for (const p of body.predictions ?? []) {
        if (received.predictions.has(p.id)) {
          duplicates++;
        } else {
          received.predictions.set(p.id, p);
          accepted++;
        }
      }
      for (const l of body.labels ?? []) {
        if (received.labels.has(l.predictionId)) {
          duplicates++;
        } else {
          received.labels.set(l.predictionId, l);
          accepted++;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted, duplicates, rejected: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((r) => server.close(r));
});

const KEYS = { 'fraud-detection': 'vgl_aaaaaaaa_fraud', 'customer-support': 'vgl_bbbbbbbb_support', logistics: 'vgl_cccccccc_logistics' };
const SCALE = 0.05;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every event of the story with a time in [from, to), at the test's scale. */
function eventsIn(anchor: number, from: number, to: number): DemoEvent[] {
  const story = storyAt(anchor);
  const out: DemoEvent[] = [];
  for (const m of DEMO_MODELS) for (let h = floorHour(from); h < to; h += HOUR_MS) out.push(...generateHour(m, h, story, SCALE).filter((e) => e.time >= from && e.time < to));
  return out;
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the simulator');
    await sleep(20);
  }
}

describe('startSimulator', () => {
  it('continues the seeded story through the SDK: each event when its time comes, each label when it is due', async () => {
    const anchor = Date.UTC(2026, 4, 12, 14, 37, 11);
    let clock = anchor + 10 * MINUTE_MS;
    const sim = startSimulator({ endpoint, keys: KEYS, anchor, scale: SCALE, tickMs: 10, now: () => clock });
    try {
      // At start: the events since the anchor, and the seeded predictions' labels that came due.
      const first = eventsIn(anchor, anchor, clock + 1);
      await until(() => received.predictions.size >= first.length);
      const seededDue = eventsIn(anchor, anchor - 50 * HOUR_MS, anchor).filter((e) => e.label && e.label.time > anchor && e.label.time <= clock);
      const liveDue = first.filter((e) => e.label && e.label.time <= clock);
      await until(() => received.labels.size >= seededDue.length + liveDue.length);
      expect(seededDue.length).toBeGreaterThan(0);
      expect(new Set(received.predictions.keys())).toEqual(new Set(first.map((e) => e.id)));
      expect(new Set(received.labels.keys())).toEqual(new Set([...seededDue, ...liveDue].map((e) => e.id)));

      // Two hours on: the events of those hours, and the labels due by then (delivery-eta's within hours).
      const before = clock;
      clock += 2 * HOUR_MS;
      const next = eventsIn(anchor, before + 1, clock + 1);
      await until(() => received.predictions.size >= first.length + next.length);
      expect(received.predictions.size).toBe(first.length + next.length);
      for (const e of next.slice(0, 50)) {
        const sent = received.predictions.get(e.id)!;
        expect(sent).toMatchObject({ timestamp: e.time, features: e.features, tags: e.tags });
      }
      const eta = eventsIn(anchor, anchor, clock + 1).filter((e) => e.id.startsWith(deliveryEta.idPrefix) && e.label && e.label.time <= clock);
      await until(() => eta.every((e) => received.labels.has(e.id)));
      // Nothing ahead of its time.
      expect([...received.predictions.values()].every((p) => p.timestamp <= clock)).toBe(true);
      expect([...received.labels.values()].every((l) => l.timestamp <= clock)).toBe(true);
      // Each project's events go with its own key.
      expect(received.keys).toEqual(new Set(Object.values(KEYS).map((k) => `Bearer ${k}`)));
      expect([...received.predictions.values()].filter((p) => p.model === 'ticket-router').every((p) => p.id.startsWith('tr-'))).toBe(true);
    } finally {
      const stats = await sim.stop();
      expect(stats.delivery.dropped).toEqual({ invalid: 0, queueFull: 0, rejected: 0, failed: 0 });
      expect(stats.delivery.accepted).toBe(received.predictions.size + received.labels.size);
    }
    // Stopped: the clock moves, nothing more is sent.
    const count = received.predictions.size;
    clock += HOUR_MS;
    await sleep(100);
    expect(received.predictions.size).toBe(count);
  });

  it('after a pause catches up at most `catchUpMs` of events, and leaves out models without a key', async () => {
    const anchor = Date.UTC(2026, 4, 12, 14, 37, 11);
    const clock = anchor + 3 * 24 * HOUR_MS;
    const lines: string[] = [];
    const sim = startSimulator({ endpoint, keys: { logistics: KEYS.logistics }, anchor, scale: SCALE, catchUpMs: 2 * HOUR_MS, now: () => clock, log: (l) => lines.push(l) });
    const expected = eventsIn(anchor, clock - 2 * HOUR_MS, clock + 1).filter((e) => e.id.startsWith(deliveryEta.idPrefix));
    await until(() => received.predictions.size >= expected.length);
    await sim.stop();
    expect(new Set(received.predictions.keys())).toEqual(new Set(expected.map((e) => e.id)));
    expect(lines.some((l) => l.includes('fraud-detector: no API key'))).toBe(true);
    expect(lines.some((l) => l.includes('ticket-router: no API key'))).toBe(true);
  });
});

describe('vigil-demo-simulate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-demo-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops cleanly on SIGTERM, delivering what it had queued', async () => {
    const file = join(dir, 'demo-credentials.json');
    await writeCredentials(file, { email: 'demo@vigil.local', password: 'x', apiKey: KEYS['fraud-detection'], apiKeys: KEYS, seededAt: new Date(Date.now() - 20 * MINUTE_MS).toISOString() });
    const bin = fileURLToPath(new URL('../dist/bin/simulate.js', import.meta.url));
    const child = spawn(process.execPath, [bin], { env: { ...process.env, VIGIL_DEMO_CREDENTIALS: file, VIGIL_API_URL: endpoint }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => received.predictions.size > 0);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stopped = /stopped \(SIGTERM\): (\d+) predictions and (\d+) labels sent, (\d+) stored/.exec(out);
    expect(stopped, out).not.toBeNull();
    const [, predictions, labels, stored] = stopped!.map(Number);
    expect(predictions).toBe(received.predictions.size);
    expect(labels).toBe(received.labels.size);
    expect(stored).toBe(predictions! + labels!);
    expect(out).not.toContain('lost');
  });
});
