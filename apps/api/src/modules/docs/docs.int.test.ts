import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';
import { servedRoutes } from '../../../test/support/routes.js';

const { api } = useTestApi();

describe('API documentation', () => {
  it('serves an OpenAPI 3 document generated from the validating schemas', async () => {
    const res = await fetch(`${api.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties?: Record<string, { items?: { properties?: Record<string, unknown>; required?: string[] } }> }> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/labels', '/v1/models/{model}/reference', '/v1/predictions', '/v1/alert-rules', '/v1/channels']));
    expect(Object.keys(doc.paths['/v1/predictions']!.post.responses).sort()).toEqual(['200', '207', '400', '401', '403', '413', '415', '429', '503']);
    const item = doc.components.schemas.PredictionsRequest!.properties!.predictions!.items!;
    expect(Object.keys(item.properties!).sort()).toEqual(['features', 'id', 'label', 'model', 'prediction', 'scores', 'tags', 'timestamp', 'version']);
    expect(item.required!.sort()).toEqual(['features', 'id', 'model', 'prediction']);
  });

  it('documents every /v1 route the API serves, and only those', async () => {
    const doc = (await (await fetch(`${api.url}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    const served = (await servedRoutes(api)).filter((r) => r.includes(' /v1/') && r !== 'GET /v1/openapi.json');
    expect(documented).toEqual(served);
  });

  it('serves interactive docs at /docs with every asset from this server, none from a CDN', async () => {
    const res = await fetch(`${api.url}/docs/`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/swagger-ui/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset, asset).not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, `${api.url}/docs/`);
      const a = await fetch(url);
      expect(a.status, url.pathname).toBe(200);
      expect((await a.arrayBuffer()).byteLength, url.pathname).toBeGreaterThan(0);
    }
    const init = await fetch(`${api.url}/docs/static/swagger-initializer.js`);
    expect(await init.text()).toContain('/v1/openapi.json');
  });
});
