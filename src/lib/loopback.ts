// Host names that stay on this machine, as URL.hostname (and Neon's driver) spell them. Plain HTTP and
// connection strings are only ever sent to these.
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
