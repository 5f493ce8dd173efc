import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { ChannelInput } from './alert-management.schema.js';
import { VigilError } from './errors.js';

/**
 * Which hosts notification channels (webhook, Slack) may send to. Vigil's web app, API and
 * worker run inside an operator's network, so a receiver URL chosen by a workspace member must
 * not reach what that network hides: loopback, private and link-local ranges, cloud metadata
 * services, internal names. The API and the web app check the URL's host when a channel is
 * created; the worker checks every address the name resolves to when it connects (see the
 * worker's guarded dispatcher), so a name that resolves to an internal address later is caught
 * too. An operator may allow internal receivers by name or range with
 * VIGIL_NOTIFICATION_ALLOW_HOSTS.
 *
 * Hosts are read from WHATWG `new URL()`, which already turns `0x7f000001`, `2130706433`,
 * `0177.0.0.1` and `127.1` into `127.0.0.1`; this module classifies what it gives.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface ReceiverAllowList {
  /** Host names allowed whatever they resolve to (lower case, no trailing dot). */
  readonly hosts: readonly string[];
  /** Address ranges allowed although internal. */
  readonly ranges: readonly (readonly [Address, number])[];
}

/** The default: only public addresses receive notifications. */
export const NO_INTERNAL_RECEIVERS: ReceiverAllowList = { hosts: [], ranges: [] };

/** The setting that names the exceptions, for messages. */
export const RECEIVER_ALLOW_SETTING = 'VIGIL_NOTIFICATION_ALLOW_HOSTS';

/** `a.b.` and `A.B` are the host `a.b`. */
function normalizeName(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/**
 * Parses the operator's comma-separated list of host names and CIDR ranges (a bare address is
 * a range of one), e.g. `hooks.internal,10.1.0.0/16`. Throws naming the entry that is neither.
 */
export function parseReceiverAllowList(raw: string | undefined): ReceiverAllowList {
  const hosts: string[] = [];
  const ranges: (readonly [Address, number])[] = [];
  for (const entry of (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    if (entry.includes('/')) {
      if (!ipaddr.isValidCIDR(entry)) throw new Error(`"${entry}" is not a CIDR range`);
      ranges.push(unmapRange(ipaddr.parseCIDR(entry)));
    } else if (ipaddr.IPv4.isValidFourPartDecimal(entry) || ipaddr.IPv6.isValid(entry.replace(/^\[|\]$/g, ''))) {
      const address = unmap(ipaddr.parse(entry.replace(/^\[|\]$/g, '')));
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) {
      hosts.push(normalizeName(entry));
    } else {
      throw new Error(`"${entry}" is neither a host name nor a CIDR range`);
    }
  }
  return { hosts, ranges };
}

/** VIGIL_NOTIFICATION_ALLOW_HOSTS in an app's env schema: unset means no exceptions. */
export const ReceiverAllowListSchema = z
  .string()
  .optional()
  .transform((raw, ctx): ReceiverAllowList => {
    try {
      return parseReceiverAllowList(raw);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/** `::ffff:127.0.0.1` reaches 127.0.0.1: it is classified (and allowed) as that address. */
function unmap(address: Address): Address {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function unmapRange([address, bits]: [Address, number]): readonly [Address, number] {
  const plain = unmap(address);
  return plain === address ? [address, bits] : [plain, Math.max(0, bits - 96)];
}

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  loopback: 'a loopback address',
  private: 'a private address',
  uniqueLocal: 'a private (unique-local) address',
  carrierGradeNat: 'a shared (CGNAT) address',
};

/** IPv4-compatible IPv6 (`::a.b.c.d`, deprecated) embeds an IPv4 address ipaddr.js calls unicast. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Why an address may not receive notifications, or null when it may: public unicast addresses
 * only, unless a range of the allow-list holds it.
 */
export function addressRefusal(ip: string, allow: ReceiverAllowList = NO_INTERNAL_RECEIVERS): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const address = unmap(ipaddr.parse(ip));
  if (allow.ranges.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits))) return null;
  const range = address.range();
  if (range === 'unicast' && !(address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE))) return null;
  return RANGE_WORDS[range] ?? 'a reserved or special-purpose address';
}

/** Names that always mean the local machine or the cloud's metadata service. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);
/** Suffixes reserved for local or private networks (RFC 6761, 6762, 8375; ICANN's .internal). */
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan', '.intranet', '.corp'];

/**
 * Why a receiver URL's host may not receive notifications, or null when it may. No DNS here:
 * IP literals are classified, names only by what they say (a name resolving to an internal
 * address is refused by the worker when it connects).
 */
export function receiverUrlRefusal(url: string, allow: ReceiverAllowList = NO_INTERNAL_RECEIVERS): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  const raw = parsed.hostname;
  if (raw.startsWith('[')) {
    const why = addressRefusal(raw.slice(1, -1), allow);
    return why && `points to ${why}`;
  }
  const host = normalizeName(raw);
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    const why = addressRefusal(host, allow);
    return why && `points to ${why}`;
  }
  if (allow.hosts.includes(host)) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points to the local machine';
  if (METADATA_NAMES.has(host)) return 'points to a cloud metadata service';
  if (!host.includes('.')) return 'points to an internal name (no domain)';
  if (INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return 'points to an internal name';
  return null;
}

/** A host the allow-list names: it may resolve to any address. */
export function isAllowedReceiverHost(hostname: string, allow: ReceiverAllowList): boolean {
  return allow.hosts.includes(normalizeName(hostname.replace(/^\[|\]$/g, '')));
}

/** Throws a 400 naming the field when a receiver URL may not receive notifications. */
export function assertReceiverUrl(field: string, url: string, allow: ReceiverAllowList): void {
  const why = receiverUrlRefusal(url, allow);
  if (!why) return;
  const message = `${why}: notifications are sent to public addresses only (an operator can allow internal receivers with ${RECEIVER_ALLOW_SETTING})`;
  throw new VigilError('VALIDATION_FAILED', `${field} ${message}`, { errors: [{ path: field, message }] });
}

/**
 * Checks the receiver URL of a new webhook or Slack channel (other types have none). `at` is
 * where the channel sits in the caller's input (`channel.` in the web app's procedure), so the
 * error names the field the form shows.
 */
export function assertChannelReceivers(input: ChannelInput, allow: ReceiverAllowList, at = ''): void {
  if (input.type === 'webhook') assertReceiverUrl(`${at}url`, input.url, allow);
  else if (input.type === 'slack') assertReceiverUrl(`${at}webhookUrl`, input.webhookUrl, allow);
}
