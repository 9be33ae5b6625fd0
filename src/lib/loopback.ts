// Host names that stay on this machine, as URL.hostname (and Neon's driver) spell them. Plain HTTP and
// connection strings are only ever sent to these, and the local servers answer only requests naming them.
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** A host name (URL.hostname, a connection string's host, IPv6 with or without brackets) that is loopback. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * `host:port` (a setting such as LOCAL_DB_HTTP, or an HTTP Host header) naming a loopback host with an
 * explicit port; with `port`, that port exactly. Nothing else is allowed around them (no user, no path).
 */
export function isLoopbackHostPort(value: string, port?: number): boolean {
  const match = /^(\[[^\]]*\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  if (!match || !isLoopbackHost(match[1])) return false;
  const given = Number(match[2]);
  return port === undefined ? given >= 1 && given <= 65535 : given === port;
}
