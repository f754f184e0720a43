// `npm run desktop:prepare`: builds better-sqlite3 for the installed Electron into native/electron/,
// leaving node_modules' Node build (the CLI's and the tests') untouched. @electron/rebuild works on a
// copy of the package in native/.work, so the two runtimes never share one compiled file and neither
// needs a rebuild to switch. It downloads a prebuilt binary when one exists (prebuild-install) and
// otherwise compiles from source against Electron's headers: either way it needs the internet once.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINDING_DIR, BINDING_FILE, BINDING_META, checkBinding, electronVersion } from './electron-binding.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
// @electron/rebuild 4 (and Electron 45's tooling) require Node 22.12 or later.
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `scimdesk: desktop:prepare needs Node 22.12 or later (this is ${process.versions.node}); the CLI still runs on Node 20.18+.`,
  );
  process.exit(1);
}
const force = process.argv.includes('--force');
const current = checkBinding(root, {});
if (current.ok && !force) {
  console.log(`scimdesk: ${current.path} is up to date`);
  process.exit(0);
}
const version = electronVersion(root);
const work = join(root, 'native', '.work');
const pkgDir = join(work, 'node_modules', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
// The sources only: a copied build/ would make @electron/rebuild think it is done.
cpSync(join(root, 'node_modules', 'better-sqlite3'), pkgDir, {
  recursive: true,
  filter: (src) => !src.startsWith(join(root, 'node_modules', 'better-sqlite3', 'build')),
});
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify({ name: 'scimdesk-native', private: true, dependencies: { 'better-sqlite3': '*' } }),
);
const args = [
  join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
  '--version',
  version,
  '--module-dir',
  work,
  '--which-module',
  'better-sqlite3',
  '--force',
];
if (process.argv.includes('--build-from-source')) args.push('--build-from-source');
console.log(`scimdesk: building better-sqlite3 for Electron ${version} into ${BINDING_DIR}/`);
const r = spawnSync(process.execPath, args, { cwd: work, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(
    'scimdesk: the Electron build of better-sqlite3 failed (it needs the internet once, and a C++ toolchain when no prebuilt binary fits).',
  );
  process.exit(r.status ?? 1);
}
mkdirSync(join(root, BINDING_DIR), { recursive: true });
copyFileSync(join(pkgDir, 'build', 'Release', BINDING_FILE), join(root, BINDING_DIR, BINDING_FILE));
writeFileSync(
  join(root, BINDING_DIR, BINDING_META),
  `${JSON.stringify({ electron: version, platform: process.platform, arch: process.arch }, null, 2)}\n`,
);
rmSync(work, { recursive: true, force: true });
const done = checkBinding(root, {});
if (!done.ok) {
  console.error(`scimdesk: ${done.reason}`);
  process.exit(1);
}
console.log(`scimdesk: wrote ${done.path}`);
