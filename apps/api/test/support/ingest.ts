import { gzipSync } from 'node:zlib';
import type { Prediction } from '@vigil/contracts';

export interface PostOptions {
  key?: string;
  contentType?: string;
  gzip?: boolean;
  headers?: Record<string, string>;
}

export interface Posted<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** POSTs a JSON (or raw) body to the running API and returns status, headers and the parsed answer. */
export async function post<T = unknown>(url: string, body: unknown, opts: PostOptions = {}): Promise<Posted<T>> {
  let payload: Buffer | string = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json', ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.gzip) {
    payload = gzipSync(payload);
    headers['content-encoding'] = 'gzip';
  }
  const res = await fetch(url, { method: 'POST', headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A valid prediction with 10 features; `i` makes the id and values unique. */
export function makePrediction(i: number, overrides: Partial<Prediction> = {}, prefix = 'p'): Prediction {
  return {
    id: `${prefix}-${i}`,
    model: 'fraud',
    timestamp: Date.now() - (i % 1000),
    features: {
      amount: (i * 7.3) % 1000,
      age: 18 + (i % 60),
      country: ['DE', 'FR', 'US', 'JP'][i % 4]!,
      device: i % 3 === 0 ? 'ios' : 'android',
      is_new: i % 2 === 0,
      score_a: (i % 100) / 100,
      score_b: (i % 37) / 37,
      items: i % 12,
      channel: i % 5 === 0 ? null : 'web',
      hour: i % 24,
    },
    prediction: i % 2,
    scores: ((i % 10) + 0.5) / 11,
    ...overrides,
  };
}
