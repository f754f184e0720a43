// esbuild options for the Electron host, shared by build/bundle.mjs and the tests that check the bundles.
//
// Electron loads its main and (sandboxed) preload scripts as CommonJS, so both are .cjs. The main
// bundle keeps CommonJS dependencies external (electron-builder ships them, and the native
// better-sqlite3 must load from disk) but inlines ESM-only ones (env-paths), which `require` cannot
// load. The preload inlines everything but `electron`: a sandboxed preload can require nothing else.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function electronBuildOptions(root = '.') {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const isEsmOnly = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).type === 'module';
  const cjsDeps = Object.keys(pkg.dependencies ?? {}).filter((name) => !isEsmOnly(name));
  const common = {
    absWorkingDir: resolve(root),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    sourcemap: true,
    logLevel: 'warning',
  };
  return {
    main: {
      ...common,
      // The webhook delivery worker is built beside main.cjs with main's options (CommonJS, the same
      // externals), where server/node.ts looks for it: otherwise the desktop app delivers in-process.
      entryPoints: { main: 'electron/main.ts', 'delivery-worker': 'server/delivery-worker.ts' },
      // server/package-root.ts finds the app from import.meta.url, which CommonJS output lacks.
      banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__import_meta_url' },
      external: ['electron', ...cjsDeps, ...cjsDeps.map((name) => `${name}/*`)],
    },
    preload: {
      ...common,
      entryPoints: { preload: 'electron/preload.ts' },
      external: ['electron'],
    },
  };
}
