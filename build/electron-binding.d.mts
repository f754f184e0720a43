export const BINDING_FILE: string;
export const BINDING_DIR: string;
export const BINDING_META: string;
export const PACKAGED_BINDING: string;
export const NODE_BUILD: string;
export const PREPARE_COMMAND: string;
export function electronVersion(root: string): string;
export function bindingPath(root: string, env?: Record<string, string | undefined>): string;
export function checkBinding(
  root: string,
  env?: Record<string, string | undefined>,
): { ok: true; path: string } | { ok: false; path: string; reason: string };
