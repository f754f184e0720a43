import type {
  ConsoleApi,
  ConsoleEvent,
  ConsoleMethod,
  ConsoleMethods,
  ConsolePushEvents,
  ConsoleResult,
  EventFilter,
  ParamsOf,
  ResultOf,
} from '../../server/console/contract';

/** What Electron's preload puts on `window.scimdesk`: one named function per method, plus `on`. */
export interface PreloadBridge {
  methods: { [M in ConsoleMethod]: (params: ParamsOf<M>) => Promise<ConsoleResult<ResultOf<M>>> };
  on<E extends ConsoleEvent>(event: E, listener: (payload: ConsolePushEvents[E]) => void): () => void;
}

export type ExportFormat = 'jsonl' | 'csv';
export type ExportResult = ConsoleResult<{ saved: string | null; count: number | null }>;

export interface ConsoleClient extends ConsoleApi {
  mode: 'ipc' | 'http';
  /**
   * The push stream lost events: `missed` is how many the node dropped for a slow reader
   * (`event: dropped`), or null when unknown (the stream reconnected). IPC never drops.
   */
  onGap(listener: (missed: number | null) => void): () => void;
  /** IPC saves to a file the admin picks; HTTP starts a browser download of the same rows. */
  exportEvents(filter: EventFilter, format: ExportFormat): Promise<ExportResult>;
}

const failure = (code: 'unauthorized' | 'internal', message: string): { ok: false; error: { code: typeof code; message: string } } => ({
  ok: false,
  error: { code, message },
});

export function ipcClient(bridge: PreloadBridge): ConsoleClient {
  const call = async <M extends ConsoleMethod>(method: M, params: ParamsOf<M>): Promise<ConsoleResult<ResultOf<M>>> => {
    const fn = bridge.methods[method] as ((p: ParamsOf<M>) => Promise<ConsoleResult<ResultOf<M>>>) | undefined;
    if (!fn) return failure('internal', `The desktop bridge has no method ${method}`);
    try {
      return await fn(params);
    } catch (e) {
      return failure('internal', e instanceof Error ? e.message : String(e));
    }
  };
  return {
    mode: 'ipc',
    call,
    on: (event, listener) => bridge.on(event, listener),
    onGap: () => () => {},
    async exportEvents(filter, format) {
      return call('events.export', { filter, format });
    },
  };
}

export interface HttpEnv {
  fetch: typeof fetch;
  /** The raw `document.cookie` string, read on every call so a refreshed token is picked up. */
  cookies: () => string;
  eventSource: (url: string) => EventSource;
  download: (url: string) => void;
}

export const CSRF_COOKIE = 'scimdesk_csrf';

export function readCookie(cookies: string, name: string): string {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return '';
}

const isResult = (v: unknown): v is ConsoleResult<unknown> => typeof v === 'object' && v !== null && 'ok' in v;

export function exportUrl(filter: EventFilter, format: ExportFormat): string {
  return `/api/console/export?format=${format}&filter=${encodeURIComponent(JSON.stringify(filter))}`;
}

export function httpClient(env: HttpEnv): ConsoleClient {
  let source: EventSource | null = null;
  const listeners = new Map<ConsoleEvent, Set<(payload: never) => void>>();
  const gapListeners = new Set<(missed: number | null) => void>();
  const gap = (missed: number | null) => {
    for (const fn of gapListeners) fn(missed);
  };

  const openSource = (): EventSource => {
    const es = env.eventSource('/api/console/stream');
    // The bridge sends `event: dropped` with a count when this reader fell behind (console-bridge.ts).
    es.addEventListener('dropped', (msg) => {
      let count: unknown = null;
      try {
        count = (JSON.parse((msg as MessageEvent<string>).data) as { count?: unknown }).count;
      } catch {
        // A malformed notice is still a gap, of unknown size.
      }
      gap(typeof count === 'number' && Number.isFinite(count) ? count : null);
    });
    // EventSource reconnects by itself; pushes sent while it was away are gone, so every open after
    // the first is a gap too.
    let opened = false;
    es.addEventListener('open', () => {
      if (opened) gap(null);
      opened = true;
    });
    return es;
  };

  const ensureSource = (event: ConsoleEvent): void => {
    source ??= openSource();
    if (listeners.has(event)) return;
    const set = new Set<(payload: never) => void>();
    listeners.set(event, set);
    source.addEventListener(event, (msg) => {
      let payload: unknown;
      try {
        payload = JSON.parse((msg as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const fn of set) fn(payload as never);
    });
  };

  const call = async <M extends ConsoleMethod>(method: M, params: ParamsOf<M>): Promise<ConsoleResult<ResultOf<M>>> => {
    let res: Response;
    try {
      res = await env.fetch(`/api/console/call/${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': readCookie(env.cookies(), CSRF_COOKIE) },
        body: JSON.stringify(params ?? {}),
      });
    } catch (e) {
      return failure('internal', `Cannot reach the console: ${e instanceof Error ? e.message : String(e)}`);
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    if (res.status === 401)
      return isResult(body) && !body.ok ? (body as ConsoleResult<ResultOf<M>>) : failure('unauthorized', 'Session expired');
    if (isResult(body)) return body as ConsoleResult<ResultOf<M>>;
    return failure('internal', `Unexpected response from the console (HTTP ${res.status})`);
  };

  return {
    mode: 'http',
    call,
    on(event, listener) {
      ensureSource(event);
      const set = listeners.get(event);
      set?.add(listener as (payload: never) => void);
      return () => {
        set?.delete(listener as (payload: never) => void);
      };
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => {
        gapListeners.delete(listener);
      };
    },
    async exportEvents(filter, format) {
      env.download(exportUrl(filter, format));
      return { ok: true, value: { saved: null, count: null } };
    },
  };
}

/** Picks the transport: the Electron preload when present, else the headless HTTP bridge. */
export function createClient(win: Window & { scimdesk?: PreloadBridge }): ConsoleClient {
  if (win.scimdesk) return ipcClient(win.scimdesk);
  return httpClient({
    fetch: (...args) => win.fetch(...args),
    cookies: () => win.document.cookie,
    eventSource: (url) => new EventSource(url),
    download: (url) => {
      const a = win.document.createElement('a');
      a.href = url;
      a.download = '';
      win.document.body.append(a);
      a.click();
      a.remove();
    },
  });
}

export type { ConsoleMethods };
