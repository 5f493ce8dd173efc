import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';

const ctx = useTestApi();
const db = ctx.db;

describe('GET /metrics', () => {
  it('exports ingest counts, request latencies by route and queue depths in Prometheus text format', async () => {
    const t = await createTestTenant(db);
    const res = await fetch(`${ctx.api.url}/v1/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ predictions: [{ id: 'a', model: 'm', features: { x: 1 }, prediction: 1 }, { id: 'b', model: 'm', features: { x: 'no' }, prediction: 1, extra: 1 }] }),
    });
    expect(res.status).toBe(207);
    const scrape = await fetch(`${ctx.api.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/vigil_ingest_items_total\{kind="prediction",outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/vigil_ingest_items_total\{kind="prediction",outcome="rejected"\} [1-9]/);
    expect(text).toMatch(/vigil_http_request_duration_seconds_count\{method="POST",route="\/v1\/predictions",status="207"\} [1-9]/);
    expect(text).toMatch(/vigil_queue_jobs\{queue="\{vigil\}-ingest-window",state="failed"\} \d+/);
    expect(text).not.toContain(t.organizationId);
  });
});
