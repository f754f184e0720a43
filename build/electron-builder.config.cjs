// electron-builder configuration for the desktop app. CommonJS because package.json is "type": "module".
//
// `files` lists the built output explicitly: electron-builder adds the production node_modules itself
// (dependencies only, never devDependencies), and nothing else (sources, tests, source maps) ships.
// `npmRebuild: false`: on a packaging machine run `npx @electron/rebuild -f -w better-sqlite3` first,
// so the native module matches Electron's ABI (see docs/desktop.md, "Packaging installers").

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
  ],
  asar: true,
  // A native module cannot be loaded from inside an asar archive.
  asarUnpack: ['**/node_modules/better-sqlite3/build/Release/better_sqlite3.node'],
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
