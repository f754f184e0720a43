import type { ConsoleClient } from '../../renderer/api/client';
import type { ConsoleEvent, ConsoleMethod, ConsolePushEvents, ConsoleResult, ParamsOf, ResultOf } from '../../server/console/contract';

type Handler<M extends ConsoleMethod> = (params: ParamsOf<M>) => ResultOf<M> | ConsoleResult<ResultOf<M>> | Promise<ResultOf<M>>;

export interface FakeClient extends ConsoleClient {
  calls: { method: ConsoleMethod; params: unknown }[];
  handle<M extends ConsoleMethod>(method: M, fn: Handler<M>): void;
  emit<E extends ConsoleEvent>(event: E, payload: ConsolePushEvents[E]): void;
  /** Tells onGap listeners the push stream lost events. */
  emitGap(missed: number | null): void;
}

const isResult = (v: unknown): v is ConsoleResult<unknown> =>
  typeof v === 'object' && v !== null && 'ok' in v && 'value' in v !== 'error' in v;

/** An in-memory ConsoleClient: handlers per method, and emit() for pushes. Unhandled methods fail as not-found. */
export function fakeClient(): FakeClient {
  const handlers = new Map<ConsoleMethod, (p: unknown) => unknown>();
  const listeners = new Map<ConsoleEvent, Set<(p: unknown) => void>>();
  const calls: { method: ConsoleMethod; params: unknown }[] = [];
  const gapListeners = new Set<(missed: number | null) => void>();
  return {
    mode: 'ipc',
    calls,
    handle(method, fn) {
      handlers.set(method, fn as (p: unknown) => unknown);
    },
    emit(event, payload) {
      for (const fn of listeners.get(event) ?? []) fn(payload);
    },
    emitGap(missed) {
      for (const fn of gapListeners) fn(missed);
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    },
    async call<M extends ConsoleMethod>(method: M, params: ParamsOf<M>): Promise<ConsoleResult<ResultOf<M>>> {
      calls.push({ method, params });
      const fn = handlers.get(method);
      if (!fn) return { ok: false, error: { code: 'not-found', message: `no fake for ${method}` } };
      const out = await fn(params);
      return (isResult(out) ? out : { ok: true, value: out }) as ConsoleResult<ResultOf<M>>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    async exportEvents() {
      return { ok: true, value: { saved: '/tmp/x.jsonl', count: 1 } };
    },
  };
}

export function summary(id: number, over: Partial<import('../../server/console/contract').EventSummary> = {}) {
  return {
    id,
    time: new Date(Date.UTC(2025, 0, 1, 12, 0, 0) + id * 1000).toISOString(),
    requestId: `req-${id}`,
    method: 'GET',
    path: `/api/scim/v2/Users?i=${id}`,
    status: 200,
    latencyMs: 3,
    tokenId: 'tok1',
    sourceIp: '127.0.0.1',
    userAgent: 'test',
    resourceType: 'User',
    resourceId: null,
    userName: null,
    ...over,
  };
}
