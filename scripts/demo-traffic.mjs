// Sends a demo model's traffic through the public API once, so a fresh install has data:
// a reference dataset, six hours of predictions (the last two with a shifted `amount`), and
// labels for the older ones. Deterministic (mulberry32), idempotent (fixed ids).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const api = process.env.VIGIL_API_URL ?? `http://localhost:${process.env.API_PORT ?? '4000'}`;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(42);
const normal = () => {
  let s = 0;
  for (let i = 0; i < 12; i++) s += rng();
  return s - 6;
};
const pick = (items, weights) => {
  let u = rng() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((u -= weights[i]) < 0) return items[i];
  return items[items.length - 1];
};

function row(shift) {
  const amount = Math.round(Math.exp(3.5 + 0.8 * normal() + shift) * 100) / 100;
  const age = Math.max(18, Math.round(40 + 12 * normal()));
  const country = pick(['DE', 'FR', 'IT', 'ES'], [0.4, 0.3, 0.2, 0.1]);
  const channel = pick(['web', 'app', 'pos'], [0.5, 0.35, 0.15]);
  const risk = 1 / (1 + Math.exp(-(Math.log(amount) - 4.2) * 1.5 - (channel === 'web' ? 0.3 : 0)));
  const isFraud = rng() < risk * 0.3 ? 1 : 0;
  return { amount, age, country, channel, score: Math.round(risk * 1e4) / 1e4, isFraud };
}

async function call(method, path, key, body, type = 'application/json') {
  const res = await fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function sendDemoTraffic() {
  const { apiKey } = JSON.parse(await readFile(join(ROOT, '.vigil/demo-credentials.json'), 'utf8'));
  const probe = await fetch(`${api}/v1/models/fraud-detector`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (probe.status === 200) return false;
  const reference = Array.from({ length: 2000 }, () => row(0));
  const csv = ['amount,age,country,channel', ...reference.map((r) => `${r.amount},${r.age},${r.country},${r.channel}`)].join('\n');
  await call('POST', '/v1/models/fraud-detector/reference?name=training', apiKey, csv, 'text/csv');
  const now = Date.now();
  const hours = 6;
  const perHour = 1000;
  const labels = [];
  for (let h = hours - 1; h >= 0; h--) {
    const predictions = [];
    for (let i = 0; i < perHour; i++) {
      const r = row(h < 2 ? 0.6 : 0);
      const id = `demo-${h}-${i}`;
      predictions.push({
        id,
        model: 'fraud-detector',
        timestamp: new Date(now - h * 3_600_000 - Math.floor((i / perHour) * 3_500_000)).toISOString(),
        features: { amount: r.amount, age: r.age, country: r.country, channel: r.channel },
        prediction: r.score >= 0.5 ? 1 : 0,
        scores: r.score,
        tags: { country: r.country },
      });
      if (h >= 2) labels.push({ predictionId: id, label: r.isFraud });
    }
    await call('POST', '/v1/predictions', apiKey, JSON.stringify({ predictions }));
  }
  for (let i = 0; i < labels.length; i += 5000) await call('POST', '/v1/labels', apiKey, JSON.stringify({ labels: labels.slice(i, i + 5000) }));
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  sendDemoTraffic().then(
    (sent) => console.log(sent ? 'demo traffic sent' : 'demo model already has data'),
    (err) => {
      console.error(`demo traffic failed: ${err.message}`);
      process.exit(1);
    },
  );
}
