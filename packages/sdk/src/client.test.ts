import { describe, expect, it } from 'vitest';
import { Vigil } from './client.js';
import { Ring } from './ring.js';

describe('ring buffer', () => {
  it('drops the oldest item when full and reports it', () => {
    const r = new Ring<number>(3);
    expect([r.push(1), r.push(2), r.push(3), r.push(4)]).toEqual([false, false, false, true]);
    expect(r.take(10)).toEqual([2, 3, 4]);
    expect(r.length).toBe(0);
  });
});

describe('Vigil hot path', () => {
  it('never throws, drops the oldest items when the queue is full and counts them', async () => {
    // Nothing listens on port 9: deliveries fail and retry in the background.
    const vigil = new Vigil({ apiKey: 'vgl_x', endpoint: 'http://127.0.0.1:9', maxQueueSize: 10, batchSize: 5_000, exitHooks: false });
    for (let i = 0; i < 25; i++) vigil.logPrediction({ model: 'm', features: { a: i }, prediction: 1 });
    expect(() => vigil.logPrediction(undefined as never)).not.toThrow();
    expect(() => vigil.logLabel({} as never)).not.toThrow();
    const s = vigil.stats();
    expect(s.queued).toBe(10);
    expect(s.dropped.queueFull).toBe(15);
    expect(s.dropped.invalid).toBe(2);
    await vigil.shutdown({ timeoutMs: 50 });
    expect(vigil.stats().dropped.failed).toBe(10);
  });

  it('fills in id and timestamp once, so every resend of an item is identical', () => {
    const vigil = new Vigil({ apiKey: 'vgl_x', endpoint: 'http://127.0.0.1:9', exitHooks: false });
    const before = Date.now();
    vigil.logPrediction({ model: 'm', features: {}, prediction: 1 });
    const [item] = (vigil as unknown as { queues: { predictions: Ring<{ id: string; timestamp: number }> } }).queues.predictions.take(1);
    expect(item!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(item!.timestamp).toBeGreaterThanOrEqual(before);
    void vigil.shutdown({ timeoutMs: 0 });
  });
});
