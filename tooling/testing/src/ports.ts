import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now. Only for what cannot listen on port 0 itself:
 * a server a test stops and starts again on the same port, or an address handed out before
 * anything listens on it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
