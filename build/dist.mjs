// `npm run dist [-- --linux|--mac|--win] [--dir] [electron-builder options]`: everything the installer
// needs, in order: the bundles, the renderer, the Electron-ABI better-sqlite3 (desktop:prepare, only
// when missing or built for another Electron), then electron-builder with the committed config.
// SCIMDESK_SKIP_BUILD=1 packages dist/ as it is (tests, so they never rebuild under other tests).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBinding, PREPARE_COMMAND } from './electron-binding.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (label, args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`scimdesk: dist: ${label} failed`);
    process.exit(r.status ?? 1);
  }
};

if (process.env.SCIMDESK_SKIP_BUILD !== '1') {
  run('the bundles', [join(root, 'build', 'bundle.mjs')]);
  run('the renderer', [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
}
let binding = checkBinding(root);
if (!binding.ok && !process.env.SCIMDESK_ELECTRON_BINDING) {
  console.log(`scimdesk: dist: ${binding.reason}; running ${PREPARE_COMMAND}`);
  run(PREPARE_COMMAND, [join(root, 'build', 'desktop-prepare.mjs')]);
  binding = checkBinding(root);
}
if (!binding.ok) {
  console.error(`scimdesk: dist: ${binding.reason}. Run \`${PREPARE_COMMAND}\` (Node 22.12+, internet once), then \`npm run dist\` again.`);
  process.exit(1);
}
console.log(`scimdesk: dist: packaging with the Electron binding ${binding.path}`);
run('electron-builder', [
  join(root, 'node_modules', 'electron-builder', 'cli.js'),
  '--config',
  join(root, 'build', 'electron-builder.config.cjs'),
  ...process.argv.slice(2),
]);
