// The Electron-ABI build of better-sqlite3: where it lives, and whether the one there fits the
// installed Electron. Shared by `npm run desktop:prepare`, `npm start`, `npm run dist` and the
// electron-builder config. electron/native-binding.ts resolves the same paths at run time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BINDING_FILE = 'better_sqlite3.node';
/** Relative to the project root; gitignored. */
export const BINDING_DIR = join('native', 'electron');
export const BINDING_META = 'binding.json';
/** Relative to the packaged app's resources folder (electron-builder `extraResources`). */
export const PACKAGED_BINDING = join('native', BINDING_FILE);
export const NODE_BUILD = join('node_modules', 'better-sqlite3', 'build', 'Release', BINDING_FILE);
export const PREPARE_COMMAND = 'npm run desktop:prepare';

export const electronVersion = (root) => JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/**
 * The binding to package or load, from `SCIMDESK_ELECTRON_BINDING` (a file built elsewhere, or the
 * packaging test's stand-in) or the one desktop:prepare wrote.
 */
export const bindingPath = (root, env = process.env) => env.SCIMDESK_ELECTRON_BINDING || join(root, BINDING_DIR, BINDING_FILE);

/**
 * Checks the binding is there, was built for the installed Electron (desktop:prepare records the
 * version beside it), and is not a copy of the Node build, which Electron cannot load.
 */
export function checkBinding(root, env = process.env) {
  const path = bindingPath(root, env);
  if (!existsSync(path)) return { ok: false, path, reason: `the Electron build of better-sqlite3 is missing (${path})` };
  const nodeBuild = join(root, NODE_BUILD);
  if (existsSync(nodeBuild) && readFileSync(nodeBuild).equals(readFileSync(path)))
    return { ok: false, path, reason: `${path} is the Node build of better-sqlite3, which Electron cannot load` };
  if (!env.SCIMDESK_ELECTRON_BINDING) {
    let built = null;
    try {
      built = JSON.parse(readFileSync(join(root, BINDING_DIR, BINDING_META), 'utf8')).electron;
    } catch {}
    const want = electronVersion(root);
    if (built !== want) return { ok: false, path, reason: `${path} was built for Electron ${built ?? '(unknown)'}, not ${want}` };
  }
  return { ok: true, path };
}
