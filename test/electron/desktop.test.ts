import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesktopApp } from '../../electron/main.js';
import { FakeBrowserWindow, FakeNotification, FakeTray, fake, type MenuItem } from './fake-electron.js';
import { packagedResources, setResourcesPath } from './packaged-binding.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fake.electron);

/**
 * What a desktop user expects from the Electron host, booted on the fake electron module with a real
 * node: window state kept across starts, the node staying up in the tray, OS notifications for alerts,
 * and launch at login.
 */
const ROOT = process.cwd();
const INDEX = join(ROOT, 'dist', 'renderer', 'index.html');
const saved = { ...process.env };
const resources = packagedResources();
const userData = mkdtempSync(join(tmpdir(), 'scimdesk-userdata-'));
const xdg = mkdtempSync(join(tmpdir(), 'scimdesk-xdg-'));
let dataDir: string;
let desktop: DesktopApp;

async function boot(): Promise<DesktopApp> {
  vi.resetModules();
  fake.reset();
  fake.electron.app.isPackaged = true;
  fake.paths.userData = userData;
  setResourcesPath(resources.dir);
  const started = await (await import('../../electron/main.js')).desktop;
  if (!started) throw new Error('desktop did not start');
  return started;
}

const lastWindow = (): FakeBrowserWindow => {
  const w = FakeBrowserWindow.instances.at(-1);
  if (!w) throw new Error('no window');
  return w;
};
const trayItem = (label: string): MenuItem | undefined => FakeTray.instances.at(-1)?.menu.find((i) => i.label === label);

beforeAll(async () => {
  // Resolve the mock once before any vi.resetModules(), so electron/main.ts and this file share `fake`.
  await import('electron');
  dataDir = mkdtempSync(join(tmpdir(), 'scimdesk-desktop-'));
  process.env.SCIMDESK_DATA = dataDir;
  process.env.SCIMDESK_PORT = '0';
  process.env.SCIMDESK_HOST = '127.0.0.1';
  process.env.XDG_CONFIG_HOME = xdg;
  desktop = await boot();
});

afterAll(async () => {
  await desktop?.shutdown();
  process.env = saved;
  setResourcesPath(undefined);
  for (const dir of [dataDir, resources.dir, userData, xdg]) rmSync(dir, { recursive: true, force: true });
});

describe('window state', () => {
  it('a first run opens the first-run guide at the default size', () => {
    const win = lastWindow();
    expect(win.options).toMatchObject({ width: 1280, height: 820 });
    expect(win.options.x).toBeUndefined();
    expect(win.loadFile).toHaveBeenCalledWith(INDEX, { hash: '/setup' });
  });

  it('closing the window keeps the node serving in the tray and saves size, position and the last screen', async () => {
    const win = lastWindow();
    win.bounds = { x: 200, y: 150, width: 1100, height: 700 };
    win.webContents.url = `file://${INDEX}#/members/abc`;
    win.close();
    fake.electron.app.emit('window-all-closed');
    expect(fake.electron.app.quit).not.toHaveBeenCalled();
    expect(desktop.window()).toBeNull();
    expect((await fetch(`${desktop.running.scimUrl}/ServiceProviderConfig`)).status).toBe(401);
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({
      x: 200,
      y: 150,
      width: 1100,
      height: 700,
      maximized: false,
      screen: 'members/abc',
    });
  });

  it('Open console from the tray reopens the window where it was, on the last screen', () => {
    FakeTray.instances.at(-1)?.emit('click');
    const win = lastWindow();
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect(win.options).toMatchObject({ x: 200, y: 150, width: 1100, height: 700 });
    expect(win.loadFile).toHaveBeenCalledWith(INDEX, { hash: '/members/abc' });
  });

  it('drops a position that is on no connected display, and maximizes again when it was maximized', () => {
    lastWindow().close();
    writeFileSync(
      join(userData, 'window-state.json'),
      JSON.stringify({ x: 5000, y: 3000, width: 1000, height: 650, maximized: true, screen: 'tokens' }),
    );
    FakeTray.instances.at(-1)?.emit('click');
    const win = lastWindow();
    expect(win.options).toMatchObject({ width: 1000, height: 650 });
    expect(win.options.x).toBeUndefined();
    win.emit('ready-to-show');
    expect(win.maximize).toHaveBeenCalled();
    expect(win.loadFile).toHaveBeenCalledWith(INDEX, { hash: '/tokens' });
  });
});

describe('alerts as OS notifications', () => {
  const raise = (kind: string, message: string) => desktop.running.node.alerts.raise(kind, 'critical', message);

  it('raises one Notification per alert, rate-limited, and clicking it opens the console', () => {
    FakeNotification.instances.length = 0;
    raise('deprovision-burst', '60 users deactivated within 10 minutes');
    expect(FakeNotification.instances).toHaveLength(1);
    const n = FakeNotification.instances[0] as FakeNotification;
    expect(n.options).toEqual({ title: 'SCIM Desk: critical alert', body: '60 users deactivated within 10 minutes' });
    expect(n.show).toHaveBeenCalledTimes(1);
    // The same alarm flapping again right away is held back (it stays in the console's alert list).
    raise('deprovision-burst', 'again');
    raise('delivery-failing', 'webhook endpoint failing');
    expect(FakeNotification.instances).toHaveLength(1);
    lastWindow().close();
    n.emit('click');
    expect(lastWindow().destroyed).toBe(false);
  });

  it('the desktopNotifications setting turns them off', () => {
    desktop.running.node.settings.set('desktopNotifications', false);
    FakeNotification.instances.length = 0;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 60 * 60_000);
      raise('provisioning-health', 'Entra failing');
      expect(FakeNotification.instances).toHaveLength(0);
      desktop.running.node.settings.set('desktopNotifications', true);
      raise('provisioning-health', 'Entra failing');
      expect(FakeNotification.instances.map((x) => x.options.body)).toEqual(['Entra failing (+2 more in the console)']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('launch at login', () => {
  it('is off by default and the tray checkbox writes and removes the XDG autostart entry (Linux)', () => {
    const file = join(xdg, 'autostart', 'scim-desk.desktop');
    expect(trayItem('Launch at login')).toMatchObject({ type: 'checkbox', checked: false });
    trayItem('Launch at login')?.click?.({ checked: true });
    expect(readFileSync(file, 'utf8')).toContain(`Exec=${process.env.APPIMAGE || process.execPath}\n`);
    expect(trayItem('Launch at login')).toMatchObject({ checked: true });
    trayItem('Launch at login')?.click?.({ checked: false });
    expect(existsSync(file)).toBe(false);
    expect(fake.electron.app.setLoginItemSettings).not.toHaveBeenCalled();
  });
});
