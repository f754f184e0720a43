import { InputError } from '../input-error.js';

/**
 * Console parameters arrive from IPC or HTTP and are untrusted; each handler reads them through
 * these checks, which throw a ConsoleInputError naming the field.
 */
export class ConsoleInputError extends InputError {
  override name = 'ConsoleInputError';
}

export type Params = Record<string, unknown>;

export const asParams = (v: unknown): Params => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Params) : {});

export function str(p: Params, key: string): string {
  const v = p[key];
  if (typeof v !== 'string' || v.trim() === '') throw new ConsoleInputError(`${key} is required`, key);
  return v;
}

export function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ConsoleInputError(`${key} must be text`, key);
  return v;
}

export function optNum(p: Params, key: string, min: number, max: number): number | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new ConsoleInputError(`${key} must be a number from ${min} to ${max}`, key);
  return v;
}

export function num(p: Params, key: string, min: number, max: number): number {
  const v = optNum(p, key, min, max);
  if (v === undefined) throw new ConsoleInputError(`${key} is required`, key);
  return v;
}

export function optBool(p: Params, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ConsoleInputError(`${key} must be true or false`, key);
  return v;
}

export function oneOf<T extends string>(p: Params, key: string, values: readonly T[]): T {
  const v = p[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw new ConsoleInputError(`${key} must be one of ${values.join(', ')}`, key);
  return v as T;
}

export function optStrList(p: Params, key: string): string[] | null {
  const v = p[key];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ConsoleInputError(`${key} must be a list of text values`, key);
  return v as string[];
}
