import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Bundles server/data-dir.ts to a CommonJS file at `outfile`, so a separate Node process can
 * `require()` it and take a data dir's serve lock the way another node would. Returns `outfile`.
 */
export function bundleDataDir(outfile: string): string {
  buildSync({
    entryPoints: ['server/data-dir.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  return outfile;
}

/** The environment for a child that runs the bundle: NODE_PATH lets it, written outside the checkout, require better-sqlite3 from it. */
export const bundleEnv = (): NodeJS.ProcessEnv => ({ ...process.env, NODE_PATH: join(process.cwd(), 'node_modules') });
