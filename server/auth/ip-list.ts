import { BlockList, isIP } from 'node:net';
import { InputError } from '../input-error.js';

/**
 * Address lists ("10.0.0.0/8", "2001:db8::/32", "192.0.2.7") as Node's `net.BlockList`, which
 * matches IPv4 and IPv6 ranges without hand-written CIDR arithmetic. Used for token source
 * allowlists and for the trusted-proxy setting.
 */

/** Validates one entry and adds it to `list`; throws a readable error naming the entry. */
function addRule(list: BlockList, entry: string): void {
  const [addr = '', bits] = entry.trim().split('/');
  const family = isIP(addr);
  if (!family) throw new InputError(`"${entry}" is not an IP address or CIDR range`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) {
    list.addAddress(addr, type);
    return;
  }
  const prefix = Number(bits);
  if (!/^\d{1,3}$/.test(bits) || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
    throw new InputError(`"${entry}" has an invalid prefix length`);
  list.addSubnet(addr, prefix, type);
}

/** Builds a list from entries, validating each (the first bad entry throws). */
export function ipList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) addRule(list, e);
  return list;
}

/**
 * A plain address in canonical text, or null when `text` is not one (no ports, brackets or
 * names). IPv4-mapped IPv6 ("::ffff:10.0.0.1") is read as IPv4, the form an allowlist is written in.
 */
export function plainIp(text: string | undefined | null): string | null {
  if (!text) return null;
  const t = text.trim();
  if (t.length > 45) return null; // the longest IPv6 text form; anything longer is not an address
  const v4 = t.toLowerCase().startsWith('::ffff:') ? t.slice(7) : null;
  if (v4 !== null && isIP(v4) === 4) return v4;
  return isIP(t) ? t : null;
}

/** Is `ip` (any text) in the list? A malformed address is in no list. */
export function inList(list: BlockList, ip: string | null | undefined): boolean {
  const plain = plainIp(ip);
  if (!plain) return false;
  return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}
