import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type {
  ConsoleEvent,
  ConsoleMethod,
  ConsolePushEvents,
  ConsoleResult,
  IpcCallChannel,
  IpcPushChannel,
  ParamsOf,
  ResultOf,
} from '../server/console/contract.js';
import { CONSOLE_EVENTS, CONSOLE_METHODS } from '../server/console/methods.js';

/**
 * The sandboxed preload: the renderer's only door to the main process. It exposes one named function
 * per console method and a push subscription, never `ipcRenderer` itself, and drops the IPC event
 * argument so the page never holds a `sender` (Electron's context-isolation guide). The method list is
 * inlined from server/console/methods.ts at bundle time, since a sandboxed preload cannot require it.
 */
export type PreloadMethods = { [M in ConsoleMethod]: (params: ParamsOf<M>) => Promise<ConsoleResult<ResultOf<M>>> };

export interface ScimDeskBridge {
  methods: PreloadMethods;
  on<E extends ConsoleEvent>(event: E, listener: (payload: ConsolePushEvents[E]) => void): () => void;
}

const methods = Object.fromEntries(
  CONSOLE_METHODS.map((method) => {
    const channel: IpcCallChannel = `console:${method}`;
    return [method, (params: unknown) => ipcRenderer.invoke(channel, params)];
  }),
) as PreloadMethods;

const events: readonly string[] = CONSOLE_EVENTS;

const bridge: ScimDeskBridge = {
  methods,
  on(event, listener) {
    if (!events.includes(event)) throw new Error(`unknown console event: ${String(event)}`);
    const channel: IpcPushChannel = `console-push:${event}`;
    const forward = (_event: IpcRendererEvent, payload: ConsolePushEvents[typeof event]) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('scimdesk', bridge);
