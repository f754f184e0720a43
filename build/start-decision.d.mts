export const NO_BINARY: string;

export type BinaryProbe = { ok: true; path: string } | { ok: false; reason: string };

export function findElectronBinary(
  electronDir: string,
  probes: { exists(path: string): boolean; read(path: string): string; env: Record<string, string | undefined> },
): BinaryProbe;

export function hasDisplay(platform: string, env: Record<string, string | undefined>): boolean;

export type StartDecision = { mode: 'electron'; electron: string } | { mode: 'headless'; reason: string };

export function decideStart(input: { binary: BinaryProbe; platform: string; env: Record<string, string | undefined> }): StartDecision;

export function isStale(outputTimes: (number | null)[], newestInputTime: number): boolean;

export function buildPlan(input: {
  mode: StartDecision['mode'];
  bundle: { cliOutputs: (number | null)[]; electronOutputs: (number | null)[]; newestInput: number };
  renderer: { hasSources: boolean; outputs: (number | null)[]; newestInput: number };
}): ('bundle' | 'renderer')[];

export function canPrepare(nodeVersion: string): boolean;

export function prepareHint(reason: string): string;

export type BindingPlan = { action: 'none' } | { action: 'prepare' } | { action: 'headless'; reason: string };

export function bindingPlan(input: {
  decision: StartDecision;
  binding: { ok: true; path: string } | { ok: false; path: string; reason: string };
  nodeVersion: string;
  env: Record<string, string | undefined>;
}): BindingPlan;
