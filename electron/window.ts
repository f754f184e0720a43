import { pathToFileURL } from 'node:url';
import { BrowserWindow, type Session, shell } from 'electron';
import { CONSOLE_CSP } from '../server/console/csp.js';
import { isSamePage } from './ipc.js';

export const pageUrl = (file: string): string => pathToFileURL(file).href;

/** Links the console opens go to the system browser, and only when they are plain http(s). */
export function externalHttpUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Session-wide hardening: the console's one CSP (server/console/csp.ts) as a header on every response; no permission (camera, notifications, …) is ever granted. */
export function hardenSession(ses: Session): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONSOLE_CSP] } });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

export interface WindowOptions {
  preload: string;
  indexHtml: string;
  log: (msg: string, err?: unknown) => void;
  /** Saved size and (when still on a display) position; see window-state.ts. */
  bounds?: { width: number; height: number; x?: number; y?: number };
  maximized?: boolean;
  /** The console route to open, without '#/' ('' for the overview). */
  screen?: string;
}

/** The console window: isolated, sandboxed, no Node in the page, and nowhere to go but its own page. */
export function createMainWindow({ preload, indexHtml, log, bounds, maximized, screen }: WindowOptions): BrowserWindow {
  const appUrl = pageUrl(indexHtml);
  const win = new BrowserWindow({
    title: 'SCIM Desk',
    width: 1280,
    height: 820,
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalHttpUrl(url);
    if (external) void shell.openExternal(external).catch((e: unknown) => log(`could not open ${external}`, e));
    return { action: 'deny' };
  });
  // In-page changes (hash routes) to the app's own page are the only navigation allowed.
  contents.on('will-navigate', (event) => {
    if (!isSamePage(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isSamePage(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  // The hash is the console's route (renderer/app/routes.ts), so the last screen opens again.
  win.loadFile(indexHtml, screen ? { hash: `/${screen}` } : undefined).catch((e: unknown) => log(`could not load ${indexHtml}`, e));
  return win;
}
