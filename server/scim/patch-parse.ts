/**
 * PATCH message validation (RFC 7644 §3.5.2). The whole message is checked before any operation is
 * applied, so a bad operation 7 cannot leave operations 1–6 half-done. Errors are positional.
 */
import { badRequest, ScimError } from './errors.js';
import { parsePath } from './filter.js';
import type { PatchPath } from './filter-ast.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { MAX_PATCH_OPERATIONS } from './limits.js';
import { PATCH_OP } from './messages.js';

export { MAX_PATCH_OPERATIONS } from './limits.js';

export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  /** 1-based position in "Operations", as used in error messages. */
  index: number;
  op: PatchOpName;
  path?: PatchPath;
  pathText?: string;
  value?: Json;
}

/** Member names of the message are matched case-insensitively like attribute names (RFC 7643 §2.1). */
function member(o: JsonObject, name: string): Json | undefined {
  const n = name.toLowerCase();
  const key = Object.keys(o).find((k) => k.toLowerCase() === n);
  return key === undefined ? undefined : o[key];
}

function parseOperation(raw: Json, index: number): PatchOperation {
  const at = `operation ${index}`;
  if (!isObject(raw)) throw badRequest('invalidSyntax', `${at}: must be an object`);
  const op = member(raw, 'op');
  // The RFC lists the op values as "add", "remove" and "replace" and says nothing about case;
  // the Entra/Okta dialect layer lowercases "Replace" before the core sees it.
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw badRequest('invalidSyntax', `${at}: "op" must be "add", "remove" or "replace" but was ${JSON.stringify(op ?? null)}`);
  }
  const result: PatchOperation = { index, op };
  const pathRaw = member(raw, 'path');
  if (pathRaw !== undefined && pathRaw !== null) {
    if (typeof pathRaw !== 'string') throw badRequest('invalidPath', `${at}: "path" must be a string`);
    try {
      result.path = parsePath(pathRaw);
    } catch (e) {
      if (e instanceof ScimError) throw badRequest('invalidPath', `${at}: invalid path "${pathRaw}": ${e.detail}`);
      throw e;
    }
    result.pathText = pathRaw;
  }
  const value = member(raw, 'value');
  if (value !== undefined) result.value = value;
  // §3.5.2.1 and §3.5.2.3: add and replace "MUST contain a 'value' member".
  if (op !== 'remove' && value === undefined) throw badRequest('invalidValue', `${at}: "value" is required for "${op}"`);
  // A null "replace" unassigns (RFC 7643 §2.5); a null "add" adds nothing and is a client error.
  if (op === 'add' && value === null) throw badRequest('invalidValue', `${at}: "value" must not be null for "add"`);
  // §3.5.2.2: "If 'path' is unspecified, the operation fails with ... 'noTarget'".
  if (op === 'remove' && !result.path) throw badRequest('noTarget', `${at}: "remove" requires a "path"`);
  return result;
}

/** Validates a PATCH request body and returns its operations, or throws the first error found. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'PATCH body must be a JSON object');
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP)) {
    throw badRequest('invalidSyntax', `"schemas" must be an array that includes "${PATCH_OP}"`);
  }
  const ops = member(body, 'Operations');
  if (!Array.isArray(ops) || ops.length === 0) {
    throw badRequest('invalidSyntax', '"Operations" must be a non-empty array (RFC 7644 §3.5.2)');
  }
  if (ops.length > MAX_PATCH_OPERATIONS) {
    throw badRequest('invalidSyntax', `"Operations" has ${ops.length} operations; at most ${MAX_PATCH_OPERATIONS} are allowed`);
  }
  return ops.map((raw, i) => parseOperation(raw, i + 1));
}
