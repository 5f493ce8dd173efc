import { describe, expect, it } from 'vitest';
import { VigilError } from './errors.js';
import {
  addressRefusal,
  assertChannelReceivers,
  isAllowedReceiverHost,
  NO_INTERNAL_RECEIVERS,
  parseReceiverAllowList,
  ReceiverAllowListSchema,
  receiverUrlRefusal,
} from './receiver-address.js';

const refused = (url: string, allow = NO_INTERNAL_RECEIVERS) => receiverUrlRefusal(url, allow);

describe('receiver URLs', () => {
  it.each([
    ['http://127.0.0.1/hook', 'loopback'],
    ['http://127.0.0.1./hook', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://127.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[febf::1]/', 'link-local'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fc00::1]/', 'unique-local'],
    ['http://[fd00:ec2::254]/', 'unique-local'],
    ['http://100.64.0.1/', 'CGNAT'],
    ['http://100.127.255.254/', 'CGNAT'],
    ['http://100.100.100.200/', 'CGNAT'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://192.0.0.192/', 'reserved'],
    ['http://[::7f00:1]/', 'reserved'],
    ['http://[64:ff9b::7f00:1]/', 'reserved'],
    ['http://localhost/', 'local machine'],
    ['http://LOCALHOST/', 'local machine'],
    ['http://localhost./', 'local machine'],
    ['http://api.localhost/', 'local machine'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://METADATA.google.internal./', 'metadata'],
    ['http://metadata.goog/', 'metadata'],
    ['http://metadata/', 'metadata'],
    ['http://redis:6379/', 'no domain'],
    ['http://hooks.internal/', 'internal name'],
    ['http://printer.local/', 'internal name'],
    ['http://router.home.arpa/', 'internal name'],
  ])('refuses %s (%s)', (url, why) => {
    expect(refused(url)).toContain(why);
  });

  it.each(['https://hooks.slack.com/services/T0/B0/x', 'https://example.com/hook', 'http://93.184.215.14/hook', 'https://[2606:4700:4700::1111]/', 'https://hooks.example.test./a'])(
    'accepts the public receiver %s',
    (url) => {
      expect(refused(url)).toBeNull();
    },
  );

  it('refuses what is not an http(s) URL and credentials in it', () => {
    expect(refused('ftp://example.com/')).toMatch(/http/);
    expect(refused('not a url')).toMatch(/not a URL/);
    expect(refused('https://user:pw@example.com/')).toMatch(/password/);
  });
});

describe('resolved addresses', () => {
  it('refuses internal addresses as DNS returns them and accepts public ones', () => {
    expect(addressRefusal('127.0.0.53')).toContain('loopback');
    expect(addressRefusal('::ffff:10.1.2.3')).toContain('private');
    expect(addressRefusal('fe80::abcd')).toContain('link-local');
    expect(addressRefusal('8.8.8.8')).toBeNull();
    expect(addressRefusal('2001:4860:4860::8888')).toBeNull();
    expect(addressRefusal('example.com')).toBe('not an IP address');
  });
});

describe('the operator allow-list (VIGIL_NOTIFICATION_ALLOW_HOSTS)', () => {
  const allow = parseReceiverAllowList(' hooks.internal , 10.1.0.0/16,127.0.0.1, fd12::/16 ,Alerts.Corp. ');

  it('allows the names it lists, in any case and with a trailing dot, and nothing more', () => {
    expect(refused('http://hooks.internal/x', allow)).toBeNull();
    expect(refused('http://HOOKS.internal./x', allow)).toBeNull();
    expect(refused('http://alerts.corp/x', allow)).toBeNull();
    expect(refused('http://other.internal/x', allow)).toContain('internal name');
    expect(isAllowedReceiverHost('Hooks.Internal.', allow)).toBe(true);
    expect(isAllowedReceiverHost('evil.example.com', allow)).toBe(false);
  });

  it('allows addresses in the ranges it lists, also written as mapped IPv6, and nothing more', () => {
    expect(refused('http://10.1.200.3/x', allow)).toBeNull();
    expect(refused('http://10.2.0.1/x', allow)).toContain('private');
    expect(refused('http://127.0.0.1:9000/x', allow)).toBeNull();
    expect(refused('http://2130706433/x', allow)).toBeNull();
    expect(refused('http://127.0.0.2/x', allow)).toContain('loopback');
    expect(refused('http://[::ffff:10.1.0.9]/x', allow)).toBeNull();
    expect(refused('http://[fd12::9]/x', allow)).toBeNull();
    expect(refused('http://169.254.169.254/x', allow)).toContain('link-local');
    expect(addressRefusal('10.1.9.9', allow)).toBeNull();
    expect(addressRefusal('::ffff:10.1.9.9', allow)).toBeNull();
  });

  it('is empty when unset, and a wrong entry is an error naming it', () => {
    expect(parseReceiverAllowList(undefined)).toEqual({ hosts: [], ranges: [] });
    expect(parseReceiverAllowList('')).toEqual({ hosts: [], ranges: [] });
    expect(() => parseReceiverAllowList('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not a CIDR range');
    expect(() => parseReceiverAllowList('hooks.internal,http://x')).toThrow('"http://x"');
    const r = ReceiverAllowListSchema.safeParse('bad entry!');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('"bad entry!"');
  });
});

describe('channel inputs', () => {
  const catchIt = (f: () => void): VigilError => {
    try {
      f();
    } catch (err) {
      return err as VigilError;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a webhook or Slack channel on an internal host with a 400 naming its field', () => {
    const hook = catchIt(() => assertChannelReceivers({ type: 'webhook', name: 'h', url: 'http://169.254.169.254/latest' }, NO_INTERNAL_RECEIVERS));
    expect(hook).toBeInstanceOf(VigilError);
    expect(hook.status).toBe(400);
    expect(hook.details?.errors).toEqual([{ path: 'url', message: expect.stringContaining('link-local') }]);
    const slack = catchIt(() => assertChannelReceivers({ type: 'slack', name: 's', webhookUrl: 'http://localhost:8080/' }, NO_INTERNAL_RECEIVERS));
    expect(slack.details?.errors).toEqual([{ path: 'webhookUrl', message: expect.stringContaining('VIGIL_NOTIFICATION_ALLOW_HOSTS') }]);
  });

  it('lets public receivers and channels without a URL through', () => {
    expect(() => assertChannelReceivers({ type: 'webhook', name: 'h', url: 'https://hooks.example.com/a' }, NO_INTERNAL_RECEIVERS)).not.toThrow();
    expect(() => assertChannelReceivers({ type: 'email', name: 'm', to: ['a@example.com'] }, NO_INTERNAL_RECEIVERS)).not.toThrow();
    expect(() => assertChannelReceivers({ type: 'pagerduty', name: 'p', routingKey: 'abcdefgh' }, NO_INTERNAL_RECEIVERS)).not.toThrow();
  });
});
