import type { ConsoleMethod, ConsoleResult, IpcCallChannel, ResultOf } from '../server/console/contract.js';
import { type ConsoleHandlers, invokeConsole } from '../server/console/handlers.js';
import { CONSOLE_METHODS } from '../server/console/methods.js';

/** The slice of Electron's `ipcMain` this module needs, so tests can pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type SenderCheck = (frame: { url: string } | null) => boolean;

export const callChannel = (method: ConsoleMethod): IpcCallChannel => `console:${method}`;

const UNAUTHORIZED: ConsoleResult<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'IPC sender is not the SCIM Desk console page' },
};

/** The document a URL shows, without query or fragment, normalised (percent-encoding, case of the scheme). */
function documentOf(url: string): string | null {
  try {
    const u = new URL(url);
    u.hash = '';
    u.search = '';
    return u.href;
  } catch {
    return null;
  }
}

/** Same document as the app's page; hash routes and query strings are in-page state. */
export function isSamePage(url: string, appUrl: string): boolean {
  const doc = documentOf(url);
  return doc !== null && doc === documentOf(appUrl);
}

/**
 * Trusts only frames showing the app's own page. Electron's security checklist: validate the sender
 * of every IPC message, since any frame can reach ipcRenderer's channels if something goes wrong in
 * the renderer.
 */
export function isAppPage(appUrl: string): SenderCheck {
  return (frame) => frame !== null && isSamePage(frame.url, appUrl);
}

/** One `console:<method>` handler per contract method; returns an unregister function. */
export function registerConsoleIpc(
  ipc: IpcMainLike,
  handlers: ConsoleHandlers,
  isTrustedSender: SenderCheck,
  log?: (msg: string, err?: unknown) => void,
): () => void {
  for (const method of CONSOLE_METHODS) {
    ipc.handle(
      callChannel(method),
      (event, params): Promise<ConsoleResult<ResultOf<typeof method>>> =>
        isTrustedSender(event.senderFrame) ? invokeConsole(handlers, method, params, log) : Promise.resolve(UNAUTHORIZED),
    );
  }
  return () => {
    for (const method of CONSOLE_METHODS) ipc.removeHandler(callChannel(method));
  };
}
