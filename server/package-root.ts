import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root, found by walking up from this module: the same answer from the
 * TypeScript sources (tests), the esbuild bundle in dist/, or an Electron asar.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'scimdesk') return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const PACKAGE_ROOT = findRoot();
export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
export const RENDERER_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');
