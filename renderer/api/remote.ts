import type { ConsoleError, ConsoleResult } from '../../server/console/contract';

/** A value fetched from the node, with real loading and error states. Old data stays while reloading. */
export type Remote<T> =
  | { status: 'idle'; data: null; error: null }
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | null; error: ConsoleError };

export const idle = <T>(): Remote<T> => ({ status: 'idle', data: null, error: null });
export const loading = <T>(prev: Remote<T>): Remote<T> => ({ status: 'loading', data: prev.data, error: null });

export function settle<T>(prev: Remote<T>, result: ConsoleResult<T>): Remote<T> {
  return result.ok ? { status: 'ready', data: result.value, error: null } : { status: 'error', data: prev.data, error: result.error };
}
