/**
 * Redaction before storage: secrets never reach the event log. Header values for credentials and
 * the values of sensitive attributes (password, plus any configured names) are replaced by markers
 * that say what was removed, so a support reader knows something was there.
 */
export const REDACTED = '[REDACTED]';
const SENSITIVE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'x-csrf-token']);

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    if (SENSITIVE_HEADERS.has(name)) {
      const scheme = typeof v === 'string' ? /^(\w+)\s/.exec(v)?.[1] : undefined;
      out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else {
      out[name] = Array.isArray(v) ? v.join(', ') : v;
    }
  }
  return out;
}

/** Returns a redacted deep copy: any key in `sensitive` (lower-case) anywhere in the tree is masked. */
export function redactValue(value: unknown, sensitive: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, sensitive));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Path-less PATCH values and URN-qualified keys end with the attribute name: "…:password".
    const bare = k.slice(k.lastIndexOf(':') + 1).toLowerCase();
    out[k] = sensitive.has(bare) ? `${REDACTED} ${bare}` : redactValue(v, sensitive);
  }
  // PATCH operations name the attribute in "path" and carry the secret in "value".
  const path = (value as Record<string, unknown>).path;
  if (typeof path === 'string' && 'value' in out) {
    const bare = path.slice(path.lastIndexOf(':') + 1).toLowerCase();
    if (sensitive.has(bare)) out.value = `${REDACTED} ${bare}`;
  }
  return out;
}

/** Serializes a body for storage, cutting at `cap` bytes with a visible marker. */
export function serializeBody(body: string | null, cap: number): string | null {
  if (body === null) return null;
  if (Buffer.byteLength(body) <= cap) return body;
  const cut = Buffer.from(body).subarray(0, cap).toString('utf8');
  return `${cut}\n[TRUNCATED: ${Buffer.byteLength(body)} bytes, first ${cap} stored]`;
}
