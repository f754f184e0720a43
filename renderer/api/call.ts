import type { ConsoleMethod, ConsoleResult, ParamsOf, ResultOf } from '../../server/console/contract';
import { type ConsoleClient, createClient } from './client';

let client: ConsoleClient | null = null;
const unauthorized = new Set<() => void>();

/** The one client for this window; tests swap it with `setClient`. */
export function getClient(): ConsoleClient {
  client ??= createClient(window);
  return client;
}

export function setClient(next: ConsoleClient | null): void {
  client = next;
}

/** Called whenever any call comes back `unauthorized` (the headless session expired). */
export function onUnauthorized(fn: () => void): () => void {
  unauthorized.add(fn);
  return () => unauthorized.delete(fn);
}

export async function call<M extends ConsoleMethod>(method: M, params: ParamsOf<M>): Promise<ConsoleResult<ResultOf<M>>> {
  const result = await getClient().call(method, params);
  if (!result.ok && result.error.code === 'unauthorized') for (const fn of unauthorized) fn();
  return result;
}
