import * as v from 'valibot';
import { InputError } from '../input-error.js';
import { isObject } from '../scim/json.js';
import type { ConsoleMethod } from './contract.js';
import { type CheckedParams, CONSOLE_PARAMS } from './schemas.js';

/** A console input the admin can fix; `field` names the offending parameter for the form to highlight. */
export class ConsoleInputError extends InputError {
  override name = 'ConsoleInputError';
}

/** The dotted path of object keys an issue points at ("target.url"); list indexes name their list. */
function fieldOf(issue: v.BaseIssue<unknown>): string | undefined {
  // `unknown` items are the paths `v.forward` gives a whole-object check.
  const keys = (issue.path ?? []).filter((p) => p.type === 'object' || p.type === 'unknown').map((p) => String(p.key));
  return keys.length > 0 ? keys.join('.') : undefined;
}

/** Checks a value against one schema; the first issue becomes a ConsoleInputError naming its field. */
export function check<S extends v.GenericSchema>(schema: S, raw: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, raw);
  if (r.success) return r.output;
  const [issue] = r.issues;
  const field = fieldOf(issue);
  // valibot reports a missing required key as an issue of the object ("Invalid key: …"), not of the entry.
  const missing = issue.kind === 'schema' && issue.type === 'object' && field !== undefined && issue.input === undefined;
  const message = missing ? 'is required' : issue.message;
  throw new ConsoleInputError(field ? `${field} ${message}` : message, field);
}

/**
 * Console parameters arrive from IPC or HTTP and are untrusted: each method's schema (schemas.ts)
 * checks them before its handler runs. Anything that is not an object reads as no parameters.
 */
export const parseParams = <M extends ConsoleMethod>(method: M, raw: unknown): CheckedParams[M] =>
  check(CONSOLE_PARAMS[method], isObject(raw) ? raw : {}) as CheckedParams[M];
