// `npm start`: brings dist/ up to date, then runs the desktop app when Electron can run here, or the
// headless node (`node dist/cli.js serve`) with a one-line reason when it cannot. Extra arguments
// (`npm start -- --port 9000`) go to whichever starts. The decisions live in start-decision.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBinding } from './electron-binding.mjs';
import { bindingPlan, buildPlan, decideStart, findElectronBinary, prepareHint } from './start-decision.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...p) => join(root, ...p);
const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
};
/** The newest modification time among files and (recursively) directories, ignoring missing paths. */
function newest(paths) {
  let max = 0;
  for (const path of paths) {
    const t = mtime(path);
    if (t === null) continue;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) max = Math.max(max, newest([join(path, entry)]));
    } else max = Math.max(max, t);
  }
  return max;
}

const binary = findElectronBinary(at('node_modules', 'electron'), {
  exists: existsSync,
  read: (p) => readFileSync(p, 'utf8'),
  env: process.env,
});
let decision = decideStart({ binary, platform: process.platform, env: process.env });
// Electron loads its own build of better-sqlite3 (native/electron/), never node_modules' Node build.
const binding = checkBinding(root);
const bindingStep = bindingPlan({ decision, binding, nodeVersion: process.versions.node, env: process.env });
if (bindingStep.action === 'prepare') {
  console.log(`scimdesk: ${binding.reason}; building it (npm run desktop:prepare)`);
  const r = spawnSync(process.execPath, [at('build', 'desktop-prepare.mjs')], { cwd: root, stdio: 'inherit' });
  const after = checkBinding(root);
  if (r.status !== 0 || !after.ok) decision = { mode: 'headless', reason: prepareHint(after.ok ? 'building it failed' : after.reason) };
} else if (bindingStep.action === 'headless') decision = { mode: 'headless', reason: bindingStep.reason };
const rendererSources = [at('renderer'), at('index.html'), at('vite.config.ts')];
// SCIMDESK_SKIP_BUILD=1 runs dist/ as it is (the tests use it so they never rebuild under other tests).
const plan =
  process.env.SCIMDESK_SKIP_BUILD === '1'
    ? []
    : buildPlan({
        mode: decision.mode,
        bundle: {
          cliOutputs: [mtime(at('dist', 'cli.js'))],
          electronOutputs: [mtime(at('dist', 'electron', 'main.cjs')), mtime(at('dist', 'electron', 'preload.cjs'))],
          newestInput: newest([
            at('server'),
            at('electron'),
            at('build', 'bundle.mjs'),
            at('build', 'electron-bundle.mjs'),
            at('package.json'),
          ]),
        },
        renderer: {
          hasSources: existsSync(at('index.html')) && existsSync(at('renderer')),
          outputs: [mtime(at('dist', 'renderer', 'index.html'))],
          newestInput: newest(rendererSources),
        },
      });

const commands = {
  bundle: [process.execPath, [at('build', 'bundle.mjs')]],
  renderer: [process.execPath, [at('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']],
};
for (const step of plan) {
  const [cmd, args] = commands[step];
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status === 0) continue;
  // SCIM does not need the console: a headless node (or an older built console) still starts.
  const renderer = existsSync(at('dist', 'renderer', 'index.html'));
  if (step === 'renderer' && (decision.mode === 'headless' || renderer)) {
    console.error(`scimdesk: the console build failed; ${renderer ? 'using the previous build' : 'starting without the web console'}`);
    continue;
  }
  console.error(`scimdesk: the ${step} build failed`);
  process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
const env = { ...process.env };
// Set by some tools; it would make the Electron executable behave as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
let child;
if (decision.mode === 'electron') {
  child = spawn(decision.electron, ['.', ...args], { cwd: root, stdio: 'inherit', env, detached: process.platform !== 'win32' });
} else {
  console.log(`scimdesk: ${decision.reason}; starting the headless node instead (node dist/cli.js serve)`);
  child = spawn(process.execPath, [at('dist', 'cli.js'), 'serve', ...args], {
    cwd: root,
    stdio: 'inherit',
    env,
    detached: process.platform !== 'win32',
  });
}
// The child has its own process group, so a terminal's Ctrl-C reaches it once, through here, and
// the node's graceful shutdown (finish in-flight requests) is not cut short by a second signal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('exit', () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});
child.on('error', (e) => {
  console.error(`scimdesk: could not start ${decision.mode === 'electron' ? 'Electron' : 'the node'}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : signal ? 143 : 1)));
