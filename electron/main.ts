import { open } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  app,
  type BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  type MenuItemConstructorOptions,
  Notification,
  nativeImage,
  screen,
  session,
  Tray,
} from 'electron';
import { resolveServe, type ServeOptions } from '../server/config.js';
import { type ConsoleHost, createConsoleHandlers } from '../server/console/handlers.js';
import { CONSOLE_EVENTS } from '../server/console/methods.js';
import type { EventFilter } from '../server/events/events.js';
import { formatLogLine } from '../server/log-line.js';
import { type RunningServer, serve } from '../server/serve.js';
import { isAppPage, registerConsoleIpc } from './ipc.js';
import { launchAtLogin, setLaunchAtLogin } from './login-item.js';
import { checkElectronBinding } from './native-binding.js';
import { createNotifier } from './notifier.js';
import { TRAY_ICON_PNG_BASE64 } from './tray-icon.js';
import { createMainWindow, hardenSession, pageUrl } from './window.js';
import { boundsFor, FIRST_RUN_SCREEN, loadWindowState, saveWindowState, screenOf } from './window-state.js';

/**
 * The Electron host: the node runs in the main process and serves SCIM exactly as `scimdesk serve`
 * does (same data dir and flags-by-env), while the console reaches the renderer over IPC instead of
 * the loopback console listener. Everything here is wiring; behaviour lives in server/.
 */
export type EndpointState = { kind: 'starting' } | { kind: 'listening'; url: string } | { kind: 'error'; message: string };

export interface DesktopApp {
  running: RunningServer;
  state(): EndpointState;
  window(): BrowserWindow | null;
  /** Stops the SCIM listener and closes the database; idempotent. */
  shutdown(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;

const log = (msg: string, err?: unknown): void => {
  process.stderr.write(`scimdesk: ${formatLogLine(msg, err)}\n`);
};

function describeState(state: EndpointState): string {
  if (state.kind === 'listening') return `Listening on ${state.url}`;
  if (state.kind === 'error') return `Endpoint error: ${state.message}`;
  return 'Starting…';
}

async function start(): Promise<DesktopApp | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  app.enableSandbox();
  await app.whenReady();

  let opts: ServeOptions;
  let running: RunningServer;
  try {
    // Same data dir and listener settings as `scimdesk serve` (env, then defaults); no console listener.
    opts = resolveServe({ console: false }, process.env);
    // Electron's ABI differs from Node's: open the database through the Electron build of
    // better-sqlite3 (npm run desktop:prepare / the packaged resources), never node_modules' one.
    const binding = checkElectronBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      override: process.env.SCIMDESK_ELECTRON_BINDING,
    });
    if (!binding.ok) throw new Error(binding.message);
    running = await serve(opts, { log, nativeBinding: binding.path });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log('could not start the SCIM endpoint', e);
    dialog.showErrorBox('SCIM Desk could not start', message);
    app.quit();
    return null;
  }
  const { node } = running;
  let state: EndpointState = { kind: 'listening', url: running.scimUrl };
  running.server.on('error', (e) => setState({ kind: 'error', message: e.message }));

  const appRoot = app.getAppPath();
  const indexHtml = join(appRoot, 'dist', 'renderer', 'index.html');
  const preload = join(appRoot, 'dist', 'electron', 'preload.cjs');
  let win: BrowserWindow | null = null;

  const host: ConsoleHost = {
    kind: 'electron',
    version: app.getVersion(),
    startedAt: node.now().toISOString(),
    dataDir: opts.dataDir,
    scimUrl: () => running.scimUrl,
    server: { host: opts.host, port: (running.server.address() as AddressInfo).port, consolePort: null, tlsCert: null, tlsKey: null },
    exportEvents: (filter, format) => exportToChosenFile(filter, format),
  };
  const handlers = createConsoleHandlers(node, host);
  const unregisterIpc = registerConsoleIpc(ipcMain, handlers, isAppPage(pageUrl(indexHtml)), log);
  // The bus calls listeners synchronously; webContents.send only queues the message.
  const unsubscribe = CONSOLE_EVENTS.map((name) =>
    node.bus.on(name, (payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(`console-push:${name}`, payload);
    }),
  );

  async function exportToChosenFile(filter: EventFilter, format: 'jsonl' | 'csv'): Promise<{ saved: string | null; count: number }> {
    const options = {
      title: 'Export events',
      defaultPath: join(app.getPath('downloads'), `scimdesk-events-${node.now().toISOString().slice(0, 10)}.${format}`),
      filters: [{ name: format === 'csv' ? 'CSV' : 'JSON Lines', extensions: [format] }],
    };
    const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { saved: null, count: 0 };
    const file = await open(choice.filePath, 'w', 0o600);
    try {
      const count = await node.events.export(filter, format, async (chunk) => {
        await file.write(chunk);
      });
      return { saved: choice.filePath, count };
    } finally {
      await file.close();
    }
  }

  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const showWindow = (): void => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const saved = loadWindowState(stateFile);
    const opened = createMainWindow({
      preload,
      indexHtml,
      log,
      bounds: boundsFor(
        saved,
        screen.getAllDisplays().map((d) => d.workArea),
      ),
      maximized: saved?.maximized ?? false,
      // No saved state means a first run: open the first-run guide.
      screen: saved ? saved.screen : FIRST_RUN_SCREEN,
    });
    win = opened;
    opened.on('close', () => {
      try {
        saveWindowState(stateFile, {
          ...opened.getNormalBounds(),
          maximized: opened.isMaximized(),
          screen: screenOf(opened.webContents.getURL()),
        });
      } catch (e) {
        log('could not save the window state', e);
      }
    });
    opened.on('closed', () => {
      win = null;
    });
  };

  // Every alert (any kind) becomes an OS notification, rate-limited, unless turned off in Settings.
  const notify = createNotifier({
    show: (title, body, onClick) => {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title, body });
      n.on('click', onClick);
      n.show();
    },
    enabled: () => node.settings.get().desktopNotifications,
    now: () => Date.now(),
    openConsole: () => showWindow(),
  });
  unsubscribe.push(node.bus.on('alerts.raised', (alert) => void notify(alert)));

  const loginHost = {
    platform: process.platform,
    env: process.env,
    exec: app.isPackaged ? [process.env.APPIMAGE || process.execPath] : [process.execPath, app.getAppPath()],
  };

  const nodeMenu = (): MenuItemConstructorOptions[] => [
    { label: describeState(state), enabled: false },
    { label: 'Open console', click: showWindow },
    {
      label: 'Copy endpoint',
      enabled: state.kind === 'listening',
      click: () => {
        if (state.kind === 'listening') clipboard.writeText(state.url);
      },
    },
    { type: 'separator' },
    {
      label: 'Launch at login',
      type: 'checkbox',
      checked: launchAtLogin(app, loginHost),
      click: (item) => {
        try {
          setLaunchAtLogin(app, loginHost, item.checked);
        } catch (e) {
          log('could not change launch at login', e);
        }
        refreshMenus();
      },
    },
    { type: 'separator' },
    { label: 'Quit SCIM Desk', role: 'quit' },
  ];

  let tray: Tray | null = null;
  const refreshMenus = (): void => {
    if (tray) {
      tray.setToolTip(`SCIM Desk: ${describeState(state)}`);
      tray.setContextMenu(Menu.buildFromTemplate(nodeMenu()));
    }
    // The app menu carries the same items, so the state stays visible where no tray area exists,
    // and the Edit roles keep copy and paste working in the console's inputs on macOS.
    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
        { label: 'Node', submenu: nodeMenu() },
        { role: 'editMenu' },
        { role: 'viewMenu' },
        { role: 'windowMenu' },
      ]),
    );
  };
  function setState(next: EndpointState): void {
    state = next;
    refreshMenus();
  }
  try {
    tray = new Tray(nativeImage.createFromDataURL(`data:image/png;base64,${TRAY_ICON_PNG_BASE64}`));
    tray.on('click', showWindow);
  } catch (e) {
    log('no system tray here; the Node menu shows the endpoint instead', e);
  }
  refreshMenus();

  hardenSession(session.defaultSession);
  showWindow();
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // With a tray icon the node keeps serving SCIM after the console closes (Quit is in the tray);
    // macOS keeps the app in the menu bar anyway. Without a tray, closing the console quits.
    if (tray || process.platform === 'darwin') return;
    app.quit();
  });

  let stopping: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      unregisterIpc();
      for (const off of unsubscribe) off();
      tray?.destroy();
      tray = null;
      // In-flight SCIM requests get a grace period; then the remaining sockets are cut.
      const timer = setTimeout(() => running.server.closeAllConnections(), STOP_GRACE_MS);
      try {
        await running.stop();
      } finally {
        clearTimeout(timer);
      }
    })();
    return stopping;
  };
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void shutdown()
      .catch((e: unknown) => log('shutdown failed', e))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  return { running, state: () => state, window: () => win, shutdown };
}

/** Resolves once the node is serving and the window exists (null when this instance is not the primary or failed to start). */
export const desktop: Promise<DesktopApp | null> = start().catch((e: unknown) => {
  log('startup failed', e);
  app.exit(1);
  return null;
});
