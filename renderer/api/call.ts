import type { ConsoleMethod, ConsoleResult, ParamsOf, ResultOf } from '../../server/console/contract';
import { type ConsoleClient, createClient } from './client';

let client: ConsoleClient | null = null;
export type SignedOut = 'expired' | 'not-logged-in';
const unauthorized = new Set<(why: SignedOut) => void>();
/** Did any call of this window succeed? Then a later `unauthorized` means the session ended. */
let hadSession = false;

/** The one client for this window; tests swap it with `setClient`. */
export function getClient(): ConsoleClient {
  client ??= createClient(window);
  return client;
}

export function setClient(next: ConsoleClient | null): void {
  client = next;
  hadSession = false;
}

/**
 * Called whenever any call comes back `unauthorized`: 'expired' when this window had a session (or
 * the server says the session it was sent has ended), 'not-logged-in' for a browser that never had one.
 */
export function onUnauthorized(fn: (why: SignedOut) => void): () => void {
  unauthorized.add(fn);
  return () => unauthorized.delete(fn);
}

export async function call<M extends ConsoleMethod>(method: M, params: ParamsOf<M>): Promise<ConsoleResult<ResultOf<M>>> {
  const result = await getClient().call(method, params);
  if (result.ok) hadSession = true;
  else if (result.error.code === 'unauthorized') {
    const why: SignedOut = hadSession || /^session expired/i.test(result.error.message) ? 'expired' : 'not-logged-in';
    for (const fn of unauthorized) fn(why);
  }
  return result;
}
