#!/usr/bin/env node
// Serves the built web app, like `next start`, behind one step of our own: every request's
// forwarding headers are settled from the connection and VIGIL_TRUSTED_PROXIES (forwarding.mjs)
// before Next.js and the auth library read them, so a client cannot choose the address that
// sign-in rate limits count it under. Usage: node server.mjs [-p PORT] [-H HOST]
import { createServer } from 'node:http';
import next from 'next';
import { normalizeForwarding, parseTrustedProxies } from './forwarding.mjs';

const args = process.argv.slice(2);
const arg = (short, long) => {
  const i = args.findIndex((a) => a === short || a === long);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(arg('-p', '--port') ?? process.env.PORT ?? 3000);
const hostname = arg('-H', '--hostname') ?? process.env.HOSTNAME ?? '0.0.0.0';

let trust;
try {
  trust = parseTrustedProxies(process.env.VIGIL_TRUSTED_PROXIES);
} catch (err) {
  console.error(`Vigil web cannot start: invalid web configuration:\n  ${err.message}`);
  process.exit(1);
}

const app = next({ dev: false, dir: import.meta.dirname, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = createServer((req, res) => {
  normalizeForwarding(req, trust);
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`Vigil web listening on http://${hostname}:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
