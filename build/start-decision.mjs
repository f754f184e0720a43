// The decisions `npm start` makes, as pure functions over probes, so a test can drive every branch.
import { join } from 'node:path';

export const NO_BINARY = "Electron's binary is not installed (node_modules/electron/dist missing)";

/**
 * Finds Electron's executable the way node_modules/electron/index.js does, but without its fallback:
 * requiring that module when the binary is missing starts a download (electron ≥42 has no
 * postinstall), which fails offline. `path.txt` names the executable inside `dist/`.
 */
export function findElectronBinary(electronDir, { exists, read, env }) {
  let relative;
  try {
    relative = read(join(electronDir, 'path.txt')).trim();
  } catch {
    relative = '';
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return exists(path) ? { ok: true, path } : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron executable (${path})` };
  }
  if (!relative || !exists(join(electronDir, 'dist'))) return { ok: false, reason: NO_BINARY };
  const path = join(electronDir, 'dist', relative);
  return exists(path) ? { ok: true, path } : { ok: false, reason: NO_BINARY };
}

/** X11 or Wayland on Linux and the BSDs; macOS and Windows always have a desktop. */
export function hasDisplay(platform, env) {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Electron when it can run here, otherwise the headless node with the reason in one line. */
export function decideStart({ binary, platform, env }) {
  if (env.SCIMDESK_HEADLESS === '1') return { mode: 'headless', reason: 'SCIMDESK_HEADLESS=1' };
  if (!binary.ok) return { mode: 'headless', reason: binary.reason };
  if (!hasDisplay(platform, env)) return { mode: 'headless', reason: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  return { mode: 'electron', electron: binary.path };
}

/**
 * A build step is stale when an output is missing or older than its newest input.
 * Times are milliseconds; `null` means the file does not exist.
 */
export function isStale(outputTimes, newestInputTime) {
  return outputTimes.some((t) => t === null || t < newestInputTime);
}

/** Which build steps `npm start` runs before launching, given the probes' times. */
export function buildPlan({ bundle, renderer, mode }) {
  const steps = [];
  if (isStale(mode === 'electron' ? bundle.electronOutputs.concat(bundle.cliOutputs) : bundle.cliOutputs, bundle.newestInput))
    steps.push('bundle');
  // The headless node serves the console too, so both modes want a current renderer when one exists.
  if (renderer.hasSources && isStale(renderer.outputs, renderer.newestInput)) steps.push('renderer');
  return steps;
}

/** @electron/rebuild 4, which desktop:prepare runs, needs Node 22.12 or later. */
export function canPrepare(nodeVersion) {
  const [major, minor] = nodeVersion.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

export const prepareHint = (reason) => `${reason}; run \`npm run desktop:prepare\` (Node 22.12+, internet once) to use the desktop app`;

/**
 * What to do about the Electron build of better-sqlite3 before launching Electron: nothing when it is
 * there (or Electron is not launching), build it when this machine can (the build needs the internet;
 * a failure falls back to headless), otherwise fall back to headless with the exact command to run.
 */
export function bindingPlan({ decision, binding, nodeVersion, env }) {
  if (decision.mode !== 'electron' || binding.ok) return { action: 'none' };
  if (canPrepare(nodeVersion) && env.SCIMDESK_NO_PREPARE !== '1') return { action: 'prepare' };
  return { action: 'headless', reason: prepareHint(binding.reason) };
}
