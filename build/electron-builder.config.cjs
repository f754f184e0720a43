// electron-builder configuration for the desktop app. CommonJS because package.json is "type": "module".
//
// `files` lists the built output explicitly: electron-builder adds the production node_modules itself
// (dependencies only, never devDependencies), and nothing else (sources, tests, source maps) ships.
// `npmRebuild: false`: node_modules keeps the Node build of better-sqlite3 (the CLI's). The app ships
// the Electron-ABI build instead, made apart by `npm run desktop:prepare` (build/electron-binding.mjs)
// and copied by `extraResources` to resources/native/, where electron/native-binding.ts loads it
// through better-sqlite3's `nativeBinding` option. `npm run dist` runs every step (docs/desktop.md).
const { join } = require('node:path');

/** SCIMDESK_ELECTRON_BINDING overrides it (a binding built elsewhere, or the packaging test's stand-in). */
const electronBinding = process.env.SCIMDESK_ELECTRON_BINDING || join(__dirname, '..', 'native', 'electron', 'better_sqlite3.node');

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.scimdesk.desktop',
  productName: 'SCIM Desk',
  copyright: 'Copyright © SCIM Desk contributors',
  directories: { output: 'dist/packages', buildResources: 'build/resources' },
  files: [
    'package.json',
    'dist/electron/main.cjs',
    'dist/electron/preload.cjs',
    'dist/electron/delivery-worker.cjs',
    'dist/renderer/**/*',
    'dist/cli.js',
    '!**/*.map',
    // TypeScript sources some packages ship beside their JavaScript; never loaded at runtime.
    '!**/node_modules/**/*.{ts,mts,cts}',
    // better-sqlite3 needs only lib/ and its compiled addon at runtime, not its C sources or build tree.
    '!**/node_modules/better-sqlite3/{deps,src}/**',
    '!**/node_modules/better-sqlite3/build/{deps,Release/obj,Release/obj.target,Release/.deps}/**',
    '!**/node_modules/better-sqlite3/build/*.{mk,gypi,Makefile}',
    '!**/node_modules/better-sqlite3/build/Makefile',
    '!**/node_modules/better-sqlite3/build/Release/{test_extension.node,*.a}',
    // The Node build cannot load in Electron; the Electron one ships in extraResources instead.
    '!**/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  ],
  asar: true,
  // Outside the asar (a native module cannot load from inside one), at resources/native/.
  extraResources: [{ from: electronBinding, to: 'native/better_sqlite3.node' }],
  npmRebuild: false,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    // Not "scimdesk": that is the npm CLI's command name.
    executableName: 'scim-desk',
    icon: 'build/resources/icon.png',
    synopsis: 'SCIM 2.0 provisioning node with an admin console',
    maintainer: 'SCIM Desk maintainers <maintainers@scimdesk.invalid>',
  },
  mac: {
    target: 'dmg',
    category: 'public.app-category.developer-tools',
    icon: 'build/resources/icon.png',
    hardenedRuntime: true,
  },
  win: {
    target: 'nsis',
    icon: 'build/resources/icon.png',
  },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};
