// The client network the rate limits count (SECURITY H46): one key per IPv4 address or IPv6 /64, whatever
// the spelling.
import { describe, expect, it } from 'vitest';
import { networkKey } from '../../../src/http/network.ts';

describe('networkKey', () => {
  it('an IPv4 address is its own network', () => {
    expect(networkKey('203.0.113.7')).toBe('v4:203.0.113.7');
    expect(networkKey('203.0.113.8')).not.toBe(networkKey('203.0.113.7'));
  });

  it('an IPv4-mapped IPv6 address is the IPv4 address, in dotted or hex spelling', () => {
    expect(networkKey('::ffff:203.0.113.7')).toBe('v4:203.0.113.7');
    expect(networkKey('::FFFF:cb00:7107')).toBe('v4:203.0.113.7');
    expect(networkKey('0:0:0:0:0:ffff:203.0.113.7')).toBe('v4:203.0.113.7');
  });

  it('IPv6: every address of one /64 is one key, whatever the zero compression or case', () => {
    const key = 'v6:2001:0db8:0001:0002::/64';
    for (const address of [
      '2001:db8:1:2::1',
      '2001:DB8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0000:0000:0000:0001',
      '2001:db8:1:2:a:b:c:d',
      '2001:db8:1:2::',
      '2001:db8:1:2::1%eth0',
    ]) {
      expect(networkKey(address), address).toBe(key);
    }
    expect(networkKey('2001:db8:1:3::1')).not.toBe(key);
    expect(networkKey('::1')).toBe('v6:0000:0000:0000:0000::/64');
  });

  it('anything unparseable shares one key instead of opening a new budget per spelling', () => {
    for (const junk of [
      'unknown',
      '',
      '1.2.3',
      '1.2.3.256',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      'g::1',
      '::ffff:1.2.3.999',
    ]) {
      expect(networkKey(junk), junk).toBe('other:');
    }
  });
});
