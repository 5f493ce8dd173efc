// Logs predictions and then either ends naturally or waits to be killed with SIGTERM.
import { Vigil } from '../dist/index.js';

const [endpoint, apiKey, mode, count] = process.argv.slice(2);
const vigil = new Vigil({ apiKey, endpoint, flushIntervalMs: 60_000 });
for (let i = 0; i < Number(count); i++) vigil.logPrediction({ id: `exit-${mode}-${i}`, model: 'fraud', features: { i }, prediction: 1 });
if (mode === 'sigterm') {
  setInterval(() => {}, 1_000);
  process.stdout.write('ready\n');
}
