#!/usr/bin/env node
// Open-loop load for latency at a fixed request rate, run as its own process by run.mjs.
// Requests are scheduled at evenly spaced instants (rate/s) whatever the answers do, over a
// pool of keep-alive connections, and each latency is measured from the request's scheduled
// instant to its last response byte — so a server (or generator) that falls behind shows up
// in the numbers instead of silently lowering the rate (no coordinated omission). autocannon's
// rate mode lets every connection burst its per-second quota at the start of each second,
// which measures bursts, not a rate.
//
//   node bench/ingest/open-loop.mjs <url> <apiKey> <requestsPerSecond> <durationSeconds> [v7|v4]
// Prints one JSON line: { rate, sent, ok, non2xx, errors, durationSeconds, latencyMs: {p50, p90, p99, max} }.
// With VIGIL_OPEN_LOOP_TRACE=<file>, also writes one line per request: its scheduled instant
// (ms since the start) and its latency, to see whether slow requests cluster in time.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { template, withFreshIds } from './template.mjs';

const [url, key, rateArg, durationArg, idKind = 'v7'] = process.argv.slice(2);
const rate = Number(rateArg);
const duration = Number(durationArg);
const target = new URL('/v1/predictions', url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const nextBody = withFreshIds(template(), idKind);

const latencies = [];
const trace = process.env.VIGIL_OPEN_LOOP_TRACE ? [] : null;
let sent = 0;
let ok = 0;
let non2xx = 0;
let errors = 0;
let pending = 0;

function send(scheduledAt) {
  const payload = nextBody();
  sent++;
  pending++;
  const req = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(payload) },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        pending--;
        if (res.statusCode >= 200 && res.statusCode < 300) {
          ok++;
          latencies.push(performance.now() - scheduledAt);
          if (trace) trace.push(`${Math.round(scheduledAt - start)} ${(performance.now() - scheduledAt).toFixed(1)}`);
        } else non2xx++;
      });
    },
  );
  req.on('error', () => {
    pending--;
    errors++;
  });
  req.end(payload);
}

const start = performance.now();
const interval = 1000 / rate;
const total = Math.round(rate * duration);
let next = 0;
await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) send(start + next++ * interval);
    if (next >= total) return resolve();
    setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
  };
  tick();
});
const deadline = performance.now() + 30_000;
while (pending > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
agent.destroy();

if (trace) writeFileSync(process.env.VIGIL_OPEN_LOOP_TRACE, `${trace.join('\n')}\n`);
latencies.sort((a, b) => a - b);
const at = (p) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] * 10) / 10 : null);
console.log(
  JSON.stringify({
    rate,
    sent,
    ok,
    non2xx,
    errors,
    unanswered: pending,
    durationSeconds: duration,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
  }),
);
