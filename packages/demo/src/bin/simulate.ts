#!/usr/bin/env node
// Keeps the demo alive: sends the three demo models' predictions and labels through the SDK as
// their time comes, until SIGINT or SIGTERM. Needs the credentials `vigil-demo-seed` wrote.
import { readCredentials } from '../credentials.js';
import { readDemoEnv } from '../env.js';
import { startSimulator } from '../simulator.js';

const env = readDemoEnv();
const creds = await readCredentials(env.VIGIL_DEMO_CREDENTIALS);
if (!creds) {
  console.error(`no demo credentials at ${env.VIGIL_DEMO_CREDENTIALS}: run vigil-demo-seed first`);
  process.exit(1);
}
const simulator = startSimulator({
  endpoint: env.VIGIL_API_URL,
  keys: creds.apiKeys ?? { 'fraud-detection': creds.apiKey },
  anchor: creds.seededAt ? Date.parse(creds.seededAt) : Date.now(),
  scale: env.VIGIL_DEMO_SCALE,
  log: (line) => console.log(line),
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  const s = await simulator.stop({ timeoutMs: 5_000 });
  const d = s.delivery;
  const lost = d.dropped.failed + d.dropped.rejected + d.dropped.invalid + d.dropped.queueFull;
  console.log(`stopped (${signal}): ${s.predictions} predictions and ${s.labels} labels sent, ${d.accepted} stored, ${d.duplicates} already there${lost ? `, ${lost} lost` : ''}`);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
