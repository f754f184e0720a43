// Bundles the Node entry points with esbuild: one ESM file per entry, npm packages left external so
// native better-sqlite3 and friends load from node_modules as installed.

import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { electronBuildOptions } from './electron-bundle.mjs';

// The webhook delivery worker sits beside the bundle that starts it (see server/delivery-worker.ts).
const entries = { cli: 'server/cli.ts', 'delivery-worker': 'server/delivery-worker.ts' };
if (existsSync('bench/bench.ts')) entries.bench = 'bench/bench.ts';
if (existsSync('bench/server-child.ts')) entries['bench-server'] = 'bench/server-child.ts';

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The Electron host's main and preload scripts (see build/electron-bundle.mjs).
if (existsSync('electron/main.ts')) {
  const { main, preload } = electronBuildOptions();
  await Promise.all([build(main), build(preload)]);
}
