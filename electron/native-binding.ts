import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron host finds its better-sqlite3 addon. Electron's main process has its own
 * NODE_MODULE_VERSION, so it cannot load the build npm made for Node (the CLI's). Each runtime keeps
 * its own binding: the Node one stays in node_modules, the Electron one lives apart and is passed to
 * better-sqlite3 through its `nativeBinding` option.
 */
export const BINDING_FILE = 'better_sqlite3.node';
/** Written by `npm run desktop:prepare`, relative to the project root (gitignored). */
export const DEV_BINDING_DIR = join('native', 'electron');
/** Where electron-builder's `extraResources` puts it, relative to `process.resourcesPath`. */
export const PACKAGED_BINDING_DIR = 'native';

export interface BindingHost {
  isPackaged: boolean;
  /** `app.getAppPath()`: the project root in development. */
  appPath: string;
  /** `process.resourcesPath`: the app's resources folder once packaged. */
  resourcesPath: string | undefined;
  /** `SCIMDESK_ELECTRON_BINDING`: in development, a binding built elsewhere (as build/electron-binding.mjs reads it). */
  override?: string | undefined;
}

export function electronBindingPath(host: BindingHost): string {
  if (host.isPackaged) return join(host.resourcesPath ?? host.appPath, PACKAGED_BINDING_DIR, BINDING_FILE);
  return host.override || join(host.appPath, DEV_BINDING_DIR, BINDING_FILE);
}

export type BindingCheck = { ok: true; path: string } | { ok: false; path: string; message: string };

/** The binding's path, or the one-line reason it is missing and what to run about it. */
export function checkElectronBinding(host: BindingHost, exists: (p: string) => boolean = existsSync): BindingCheck {
  const path = electronBindingPath(host);
  if (exists(path)) return { ok: true, path };
  const message = host.isPackaged
    ? `This installation is incomplete: ${path} is missing. Reinstall SCIM Desk.`
    : `The Electron build of better-sqlite3 is missing (${path}). Run \`npm run desktop:prepare\`, then start again.`;
  return { ok: false, path, message };
}
