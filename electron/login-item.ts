import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * "Launch at login", opt-in. macOS and Windows have it in Electron (`app.setLoginItemSettings`);
 * Linux desktops follow the XDG Autostart spec: a .desktop file in `$XDG_CONFIG_HOME/autostart`.
 */
export interface LoginItemApp {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

export interface LoginItemEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The command line that starts this app (the AppImage when run from one). */
  exec: string[];
}

export function autostartFile(env: NodeJS.ProcessEnv): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'autostart', 'scim-desk.desktop');
}

const usesXdg = (platform: NodeJS.Platform): boolean => platform !== 'darwin' && platform !== 'win32';

export function launchAtLogin(app: LoginItemApp, host: LoginItemEnv): boolean {
  return usesXdg(host.platform) ? existsSync(autostartFile(host.env)) : app.getLoginItemSettings().openAtLogin;
}

export function setLaunchAtLogin(app: LoginItemApp, host: LoginItemEnv, enabled: boolean): void {
  if (!usesXdg(host.platform)) {
    app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const file = autostartFile(host.env);
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  // Desktop Entry Specification: Exec arguments with spaces are double-quoted.
  const exec = host.exec.map((arg) => (/[\s"`$\\]/.test(arg) ? `"${arg.replace(/(["\\`$])/g, '\\$1')}"` : arg)).join(' ');
  writeFileSync(
    file,
    ['[Desktop Entry]', 'Type=Application', 'Name=SCIM Desk', `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n'),
  );
}
