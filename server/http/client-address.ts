import type { BlockList } from 'node:net';
import { inList, ipList, plainIp } from '../auth/ip-list.js';

/** Hops read from X-Forwarded-For at most: a longer chain is cut, never parsed in full. */
const MAX_HOPS = 16;

const lists = new WeakMap<readonly string[], BlockList>();

/** The BlockList for a settings array; built once per array (settings are re-read once a second). */
export function proxyList(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  let list = lists.get(entries);
  if (!list) {
    list = ipList(entries);
    lists.set(entries, list);
  }
  return list;
}

/**
 * The client's address. X-Forwarded-For is read only when the connecting peer is a configured
 * proxy, and then from the right (the nearest hop) leftwards, stopping at the first address that is
 * not itself a trusted proxy: everything left of that was written by the client and proves nothing.
 * An entry that is not a plain IP address ends the walk at the last address we could vouch for, so
 * HTML, a port, or 5,000 characters never become a "source address".
 */
export function clientAddress(peer: string | undefined, forwarded: string | undefined, proxies: BlockList | null): string | null {
  const direct = plainIp(peer) ?? peer ?? null;
  if (!proxies || !forwarded || !inList(proxies, direct)) return direct;
  let source = direct;
  let end = forwarded.length;
  for (let hop = 0; hop < MAX_HOPS && end > 0; hop++) {
    const start = forwarded.lastIndexOf(',', end - 1);
    const ip = plainIp(forwarded.slice(start + 1, end));
    if (!ip) return source;
    source = ip;
    if (!inList(proxies, ip)) return ip;
    end = Math.max(start, 0);
  }
  return source;
}
