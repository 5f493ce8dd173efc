import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressRefusal, isAllowedReceiverHost, type ReceiverAllowList } from '@vigil/contracts';
import { Agent } from 'undici';

/** The `code` of the error a guarded connection fails with when a name resolves to an internal address. */
export const ADDRESS_NOT_ALLOWED = 'VIGIL_ADDRESS_NOT_ALLOWED';

/**
 * A DNS lookup that refuses a name when any address it resolves to is internal (loopback,
 * private, link-local, metadata, …) and not in the operator's allow-list. The socket connects
 * to the addresses checked here: there is no second lookup a rebinding DNS server could
 * answer differently. A name the allow-list names is trusted whatever it resolves to.
 */
export function guardedLookup(allow: ReceiverAllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family ?? 0, hints: options.hints ?? 0, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (!isAllowedReceiverHost(hostname, allow)) {
        const refused = addresses.find((a) => addressRefusal(a.address, allow) !== null);
        if (refused) {
          const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to an address notifications may not be sent to`);
          e.code = ADDRESS_NOT_ALLOWED;
          return callback(e, '', 0);
        }
      }
      const first = addresses[0];
      if (!first) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
        e.code = 'ENOTFOUND';
        return callback(e, '', 0);
      }
      // net asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

const agents = new WeakMap<ReceiverAllowList, Agent>();

/** The HTTP client of user-chosen receivers (webhook, Slack): every connection goes through `guardedLookup`. */
export function guardedAgent(allow: ReceiverAllowList): Agent {
  let agent = agents.get(allow);
  if (!agent) agents.set(allow, (agent = new Agent({ connect: { lookup: guardedLookup(allow) } })));
  return agent;
}
