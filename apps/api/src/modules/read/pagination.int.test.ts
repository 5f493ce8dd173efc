import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';

const ctx = useTestApi();

async function get(path: string, key: string) {
  const res = await fetch(`${ctx.api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string; details?: unknown } } };
}

async function ingest(key: string, predictions: unknown[]) {
  const res = await fetch(`${ctx.api.url}/v1/predictions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ predictions }),
  });
  expect(res.status).toBe(200);
}

describe('pagination of the read API', () => {
  it('pages GET /v1/models with limit and an opaque cursor until nextCursor is null', async () => {
    const t = await createTestTenant(ctx.db);
    await ingest(
      t.apiKey.secret,
      ['e', 'a', 'd', 'c', 'b'].map((m, i) => ({ id: `p${i}`, model: m, features: { x: 1 }, prediction: 0 })),
    );
    const everything = await get('/v1/models', t.apiKey.secret);
    expect(everything.status).toBe(200);
    expect((everything.body.models as { slug: string }[]).map((m) => m.slug)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(everything.body.nextCursor).toBeNull();

    const slugs: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await get(`/v1/models?limit=2${cursor ? `&cursor=${cursor}` : ''}`, t.apiKey.secret);
      expect(page.status).toBe(200);
      slugs.push(...(page.body.models as { slug: string }[]).map((m) => m.slug));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(slugs).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
  });

  it('answers 400 naming limit or cursor when they are not valid', async () => {
    const t = await createTestTenant(ctx.db);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not*a*cursor', 'cursor'],
      [`cursor=${Buffer.from('{"slug":1}').toString('base64url')}`, 'cursor'],
    ] as const) {
      const r = await get(`/v1/models?${query}`, t.apiKey.secret);
      expect(r.status, query).toBe(400);
      expect(JSON.stringify(r.body.error), query).toContain(`"path":"${field}"`);
    }
    const cols = await get(`/v1/models/any?columnsLimit=1001`, t.apiKey.secret);
    expect(cols.status).toBe(400);
    expect(JSON.stringify(cols.body.error)).toContain('"path":"columnsLimit"');
  });

  it('pages a model’s columns with columnsLimit and columnsCursor', async () => {
    const t = await createTestTenant(ctx.db);
    await ingest(t.apiKey.secret, [{ id: 'c1', model: 'wide', features: { f1: 1, f2: 2, f3: 'x', f4: true }, prediction: 1, label: 0 }]);
    const all = await get('/v1/models/wide', t.apiKey.secret);
    const expected = (all.body.columns as { role: string; name: string }[]).map((c) => `${c.role}:${c.name}`);
    expect(expected).toHaveLength(6);
    expect(all.body.columnsNextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/v1/models/wide?columnsLimit=4${cursor ? `&columnsCursor=${cursor}` : ''}`, t.apiKey.secret);
      expect(page.status).toBe(200);
      expect(page.body.slug).toBe('wide');
      seen.push(...(page.body.columns as { role: string; name: string }[]).map((c) => `${c.role}:${c.name}`));
      cursor = page.body.columnsNextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(expected);
  });
});
