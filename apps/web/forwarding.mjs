// Who the client is, for the web server (server.mjs): the connection's address, or, behind the
// reverse proxies named in VIGIL_TRUSTED_PROXIES, the address the last trusted one forwarded.
// Plain JavaScript: server.mjs loads it before Next.js, without a build step.
import proxyaddr from 'proxy-addr';

/** Set by server.mjs on every request (a client-sent one is replaced); the auth library reads it. */
export const CLIENT_ADDRESS_HEADER = 'x-vigil-client-address';

/**
 * VIGIL_TRUSTED_PROXIES as a trust function: unset or "none" trusts no proxy; a number trusts
 * that many hops nearest to this server; otherwise a comma-separated list of addresses, CIDR
 * ranges or proxy-addr's names (loopback, linklocal, uniquelocal).
 * @param {string | undefined} value
 * @returns {(address: string, hop: number) => boolean}
 */
export function parseTrustedProxies(value) {
  const v = (value ?? '').trim();
  if (v === '' || v === 'none') return () => false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  try {
    return proxyaddr.compile(v.split(',').map((e) => e.trim()).filter(Boolean));
  } catch (err) {
    throw new Error(`VIGIL_TRUSTED_PROXIES: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Rewrites the forwarding headers of `req` before Next.js sees them: the client address goes
 * into `x-vigil-client-address` and becomes the only `x-forwarded-for` value; unless the peer
 * is a trusted proxy, the `x-forwarded-proto/host/port` and `forwarded` it sent are dropped.
 * @param {import('node:http').IncomingMessage} req
 * @param {(address: string, hop: number) => boolean} trust
 * @returns {string} the client address
 */
export function normalizeForwarding(req, trust) {
  const address = proxyaddr(req, trust);
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  req.headers['x-forwarded-for'] = address;
  if (!trust(req.socket.remoteAddress ?? '', 0)) {
    for (const h of ['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded']) delete req.headers[h];
  }
  return address;
}
