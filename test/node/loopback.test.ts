// src/lib/loopback.ts: the one test of "stays on this machine" that the Worker's config, its database
// client and the local servers (tools/local-platform/) all use.
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackHostPort } from '../../src/lib/loopback.ts';

describe('isLoopbackHost', () => {
  it('accepts the loopback names, as URL.hostname or a connection string spells them', () => {
    for (const host of ['localhost', '127.0.0.1', '::1', '[::1]', 'LOCALHOST'])
      expect(isLoopbackHost(host), host).toBe(true);
  });

  it('refuses every other name, including look-alikes', () => {
    for (const host of [
      '',
      '10.0.0.5',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'evil.example',
      '[::2]',
      '0.0.0.0',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('isLoopbackHostPort', () => {
  it('accepts a loopback host with an explicit port', () => {
    for (const value of ['127.0.0.1:5490', 'localhost:1', '[::1]:65535', 'Localhost:8787']) {
      expect(isLoopbackHostPort(value), value).toBe(true);
    }
  });

  it('refuses a missing or impossible port, anything around host:port, and other hosts', () => {
    for (const value of [
      'localhost',
      '[::1]',
      '::1:5432',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      '127.0.0.1:',
      'localhost:5490@evil.example',
      'localhost:5490/path',
      'user@localhost:5490',
      'evil.example:5490',
      '10.0.0.5:5490',
    ]) {
      expect(isLoopbackHostPort(value), value).toBe(false);
    }
  });

  it('with a port, only that port (a Host header naming this server)', () => {
    expect(isLoopbackHostPort('127.0.0.1:5490', 5490)).toBe(true);
    expect(isLoopbackHostPort('127.0.0.1:5491', 5490)).toBe(false);
  });
});
