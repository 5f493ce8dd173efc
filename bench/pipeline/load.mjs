#!/usr/bin/env node
// Load generator of the pipeline benchmark, run as its own process by run.mjs: autocannon
// POSTs 100-event batches (10 features each, every id unique, event times within the last
// minute) at a target rate and prints autocannon's summary as one JSON line on stdout.
//
//   node bench/pipeline/load.mjs <url> <apiKey> <requestsPerSecond> <durationSeconds> <connections>
import autocannon from 'autocannon';
import { batchBody } from './batch.mjs';

const [url, key, rate, duration, connections] = process.argv.slice(2);
let n = 0;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// Bodies are rebuilt every second so event times stay current over a long run.
let body = batchBody('load');
let builtAt = Date.now();
autocannon(
  {
    url: `${url}/v1/predictions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    connections: Number(connections),
    duration: Number(duration),
    overallRate: Number(rate),
    requests: [
      {
        setupRequest: (req) => {
          if (Date.now() - builtAt > 1_000) {
            body = batchBody('load');
            builtAt = Date.now();
          }
          return { ...req, body: body.replaceAll('@@', `${run}-${++n}`) };
        },
      },
    ],
  },
  (err, result) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    console.log(
      JSON.stringify({
        requests: result.requests.total,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        duration: result.duration,
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      }),
    );
  },
);
