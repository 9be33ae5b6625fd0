// The client's network, as the rate limits count it: the IPv4 address, or the IPv6 /64 (one customer
// line or host typically gets a whole /64, so rotating addresses inside it must not reset a limit).
// Normalised first: an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address, and IPv6 text
// is expanded (zero compression undone, lower case) so that every spelling of one network is one key.

/** The client address Cloudflare saw. X-Forwarded-For is client-controlled and never read. */
export function clientIp(headers: { header(name: string): string | undefined }): string {
  return headers.header('CF-Connecting-IP') ?? 'unknown';
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const bytes = parts.map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : null;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function parseIpv6(text: string): number[] | null {
  let address = text.toLowerCase();
  const zone = address.indexOf('%');
  if (zone !== -1) address = address.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is the last two groups.
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (!v4) return null;
    address = `${address.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => Number.parseInt(group, 16));
}

/**
 * `v4:a.b.c.d` for an IPv4 (or IPv4-mapped IPv6) address, `v6:xxxx:xxxx:xxxx:xxxx::/64` for IPv6,
 * and `other:` for anything unparseable (Cloudflare always sends an address; such requests share a key).
 */
export function networkKey(ip: string): string {
  const v4 = parseIpv4(ip);
  if (v4) return `v4:${v4.join('.')}`;
  const v6 = parseIpv6(ip);
  if (!v6) return 'other:';
  const mapped = v6.slice(0, 5).every((group) => group === 0) && v6[5] === 0xffff;
  if (mapped) return `v4:${v6[6] >> 8}.${v6[6] & 0xff}.${v6[7] >> 8}.${v6[7] & 0xff}`;
  return `v6:${v6
    .slice(0, 4)
    .map((group) => group.toString(16).padStart(4, '0'))
    .join(':')}::/64`;
}
