import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module, enough to boot electron/main.ts in Node: Electron's binary is
 * not installed here, and requiring the real module would try to download it.
 */
export type IpcListener = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;

export interface FakeWebContents extends EventEmitter {
  send: ReturnType<typeof vi.fn>;
  /** The page URL; tests set the hash to act as the renderer navigating. */
  url: string;
  getURL(): string;
  openHandler: ((details: { url: string }) => { action: string }) | null;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void;
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents: FakeWebContents;
  readonly loadFile = vi.fn(async (_file: string, _opts?: { hash?: string }) => {});
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly maximize = vi.fn();
  destroyed = false;
  maximized = false;
  bounds: { x: number; y: number; width: number; height: number };

  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    this.bounds = {
      x: Number(options.x ?? 100),
      y: Number(options.y ?? 100),
      width: Number(options.width ?? 800),
      height: Number(options.height ?? 600),
    };
    const contents = Object.assign(new EventEmitter(), {
      send: vi.fn(),
      url: '',
      getURL: () => contents.url,
      openHandler: null as FakeWebContents['openHandler'],
      setWindowOpenHandler(fn: NonNullable<FakeWebContents['openHandler']>) {
        contents.openHandler = fn;
      },
    });
    this.webContents = contents;
    this.loadFile.mockImplementation(async (file: string, opts?: { hash?: string }) => {
      contents.url = `file://${file}${opts?.hash ? `#${opts.hash}` : ''}`;
    });
    FakeBrowserWindow.instances.push(this);
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  /** Like Electron: 'close' (the window still exists), then 'closed', then window-all-closed. */
  close(): void {
    this.emit('close', { preventDefault: () => {} });
    this.destroyed = true;
    this.emit('closed');
  }
}

export interface MenuItem {
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  /** Electron passes the clicked item (a checkbox's `checked` is already toggled). */
  click?: (item?: { checked: boolean }) => void;
  submenu?: MenuItem[];
}

export class FakeTray extends EventEmitter {
  static readonly instances: FakeTray[] = [];
  menu: MenuItem[] = [];
  tooltip = '';
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    FakeTray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItem[] }): void {
    this.menu = menu.template;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static readonly instances: FakeNotification[] = [];
  static isSupported = vi.fn(() => true);
  readonly show = vi.fn();
  constructor(readonly options: { title: string; body: string }) {
    super();
    FakeNotification.instances.push(this);
  }
}

export function createFakeElectron(appPath: string) {
  const handlers = new Map<string, IpcListener>();
  let headersListener: ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null = null;
  let quitResolve: () => void = () => {};
  const paths: Record<string, string> = {};
  let loginItem = { openAtLogin: false };
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getLoginItemSettings: vi.fn(() => ({ ...loginItem })),
    setLoginItemSettings: vi.fn((s: { openAtLogin: boolean }) => {
      loginItem = { openAtLogin: s.openAtLogin };
    }),
    requestSingleInstanceLock: vi.fn(() => true),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => {}),
    getAppPath: vi.fn(() => appPath),
    getVersion: () => '0.1.0-test',
    getPath: (name: string) => {
      paths[name] ??= mkdtempSync(join(tmpdir(), `scimdesk-fake-${name}-`));
      return paths[name];
    },
    exit: vi.fn(),
    /** Like Electron: `before-quit` listeners may cancel; otherwise the app is gone. */
    quit: vi.fn(() => {
      let prevented = false;
      app.emit('before-quit', {
        preventDefault: () => {
          prevented = true;
        },
      });
      if (!prevented) quitResolve();
    }),
  });
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    screen: { getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]) },
    Menu: { buildFromTemplate: (template: MenuItem[]) => ({ template }), setApplicationMenu: vi.fn() },
    nativeImage: { createFromDataURL: vi.fn((url: string) => ({ url })) },
    clipboard: { writeText: vi.fn() },
    shell: { openExternal: vi.fn(async () => {}) },
    dialog: { showErrorBox: vi.fn(), showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })) },
    ipcMain: {
      handle: vi.fn((channel: string, listener: IpcListener) => {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, listener);
      }),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: vi.fn((fn: typeof headersListener) => {
            headersListener = fn;
          }),
        },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
  };
  const self = {
    electron,
    handlers,
    headers: () => headersListener,
    /** The fake's directories (`app.getPath`); a test may point userData at its own folder. */
    paths,
    /** Settles when the app quits for real (no before-quit listener cancelled it). */
    quitted: Promise.resolve(),
    /**
     * Back to a fresh app, keeping object identity: vitest caches a mocked module across
     * `vi.resetModules()`, so every boot of electron/main.ts sees this same object.
     */
    reset() {
      handlers.clear();
      headersListener = null;
      app.removeAllListeners();
      self.quitted = new Promise<void>((resolve) => {
        quitResolve = resolve;
      });
      FakeBrowserWindow.instances.length = 0;
      FakeTray.instances.length = 0;
      FakeNotification.instances.length = 0;
      app.isPackaged = false;
      loginItem = { openAtLogin: false };
      vi.clearAllMocks();
      app.requestSingleInstanceLock.mockReturnValue(true);
    },
  };
  self.reset();
  return self;
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The one instance `vi.mock('electron', …)` hands out. */
export const fake: FakeElectron = createFakeElectron(process.cwd());
