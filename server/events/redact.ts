/**
 * Redaction before storage: secrets never reach the event log. Header values for credentials and
 * the values of sensitive attributes (password, plus any configured names) are replaced by markers
 * that say what was removed, so a support reader knows something was there.
 *
 * Redaction reads a body the way the PATCH parser does (server/scim/patch-parse.ts): member names
 * match case-insensitively (RFC 7643 §2.1), a path is read trimmed and may be URN-qualified or carry
 * a value filter (RFC 7644 §3.5.2), and a path-less value names attributes by its keys. It walks the
 * tree iteratively with a depth and size bound, so recording can never overflow the stack.
 */
export const REDACTED = '[REDACTED]';
const SENSITIVE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'x-csrf-token', 'x-api-key']);

/** Deeper than this, a subtree is replaced by a marker: no SCIM resource nests more than a few levels. */
export const MAX_REDACT_DEPTH = 32;
/** More nodes than this, and the rest of the tree is replaced by markers. */
export const MAX_REDACT_NODES = 100_000;

/**
 * Request headers (`req.headers`) or response headers (`res.getHeaders()`, whose values may be
 * numbers) as stored: text values, credentials masked. One pass, one object: it runs twice per request.
 */
export function redactHeaders(headers: Readonly<Record<string, string | number | readonly string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(headers)) {
    const v = headers[k];
    if (v === undefined) continue;
    const name = k.toLowerCase();
    if (SENSITIVE_HEADERS.has(name)) {
      const scheme = typeof v === 'string' ? /^(\w+)\s/.exec(v)?.[1] : undefined;
      out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else {
      out[name] = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v.join(', ');
    }
  }
  return out;
}

/**
 * The attribute-name words of a key or a path, lower-case: `urn:…:2.0:User:password` → […, "password"],
 * ` emails[type eq "work"].value` → ["emails", "type", "eq", "value"] (literals are not names).
 */
function namesIn(text: string): string[] {
  return text
    .replace(/"(?:[^"\\]|\\.)*"?/g, ' ')
    .toLowerCase()
    .split(/[^a-z0-9_$-]+/)
    .filter((w) => w !== '');
}

/** The sensitive name a key or path refers to, if any (any of its name words is sensitive). */
export function sensitiveName(text: string, sensitive: ReadonlySet<string>): string | undefined {
  return namesIn(text).find((w) => sensitive.has(w));
}

const marker = (name: string): string => `${REDACTED} ${name}`;

/** A path that names a sensitive attribute keeps its names but loses its filter literals. */
function maskPath(path: string): string {
  return path.replace(/"(?:[^"\\]|\\.)*"?/g, `"${REDACTED}"`);
}

const memberKey = (o: Record<string, unknown>, name: string): string[] => Object.keys(o).filter((k) => k.trim().toLowerCase() === name);

type Slot = { value: unknown; depth: number; set: (v: unknown) => void };

/**
 * Returns a redacted copy: any member whose name refers to a sensitive attribute is masked, and so
 * is the value of any PATCH operation whose path does. Iterative and bounded: never throws.
 */
export function redactValue(value: unknown, sensitive: ReadonlySet<string>, report?: { masked: boolean }): unknown {
  let result: unknown;
  // Tells the caller whether anything was masked or left out, so it can keep exact bytes otherwise.
  const flag = report ?? { masked: false };
  const stack: Slot[] = [{ value, depth: 0, set: (v) => (result = v) }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: v, depth, set } = stack.pop() as Slot;
    if (typeof v !== 'object' || v === null) {
      set(v);
      continue;
    }
    if (depth >= MAX_REDACT_DEPTH) {
      flag.masked = true;
      set(`[OMITTED: nested deeper than ${MAX_REDACT_DEPTH} levels]`);
      continue;
    }
    if (++nodes > MAX_REDACT_NODES) {
      flag.masked = true;
      set(`[OMITTED: more than ${MAX_REDACT_NODES} values]`);
      continue;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      set(out);
      v.forEach((item, i) => {
        stack.push({ value: item, depth: depth + 1, set: (x) => (out[i] = x) });
      });
      continue;
    }
    const obj = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    set(out);
    // A PATCH operation names the attribute in "path" (any case, padded) and carries it in "value".
    const pathHit = memberKey(obj, 'path')
      .map((k) => obj[k])
      .map((p) => (typeof p === 'string' ? sensitiveName(p, sensitive) : undefined))
      .find((n) => n !== undefined);
    const valueKeys = new Set(pathHit ? memberKey(obj, 'value') : []);
    for (const [k, child] of Object.entries(obj)) {
      const hit = sensitiveName(k, sensitive);
      if (hit) {
        flag.masked = true;
        out[k] = marker(hit);
      } else if (pathHit && valueKeys.has(k)) {
        flag.masked = true;
        out[k] = marker(pathHit);
      } else if (pathHit && k.trim().toLowerCase() === 'path' && typeof child === 'string') {
        flag.masked = true;
        out[k] = maskPath(child);
      } else {
        // A placeholder keeps the member's place: the stored body lists members in the order sent.
        out[k] = null;
        stack.push({ value: child, depth: depth + 1, set: (x) => (out[k] = x) });
      }
    }
  }
  return result;
}

/**
 * Redacts a body that is not valid JSON, by a tolerant scan: string literals are decoded (so
 * `"pass\u0077ord"` is seen as "password"), and the value after a sensitive key is masked up to the
 * next `,` or `}` or the end, terminated or not. If a sensitive name appears anywhere else (a PATCH
 * path), every non-key literal and bare word is masked, since we cannot tell which one is its value.
 */
export function redactUnparsed(text: string, sensitive: ReadonlySet<string>): string {
  const tokens: { start: number; end: number; text: string; key: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      const start = i;
      let decoded = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const e = text[i + 1] as string;
          const hex = /^u[0-9a-fA-F]{4}/.exec(text.slice(i + 1, i + 6));
          if (hex) {
            decoded += String.fromCharCode(Number.parseInt(hex[0].slice(1), 16));
            i += 6;
            continue;
          }
          decoded += e;
          i += 2;
          continue;
        }
        decoded += text[i];
        i++;
      }
      i++;
      const after = /^\s*:/.test(text.slice(i, i + 64));
      tokens.push({ start, end: Math.min(i, text.length), text: decoded, key: after });
      continue;
    }
    if (/[^\s{}[\]:,]/.test(c)) {
      const start = i;
      while (i < text.length && /[^\s{}[\]:,"']/.test(text[i] as string)) i++;
      const after = /^\s*:/.test(text.slice(i, i + 64));
      tokens.push({ start, end: i, text: text.slice(start, i), key: after });
      continue;
    }
    i++;
  }
  const anywhere = tokens.some((t) => !t.key && sensitiveName(t.text, sensitive) !== undefined);
  const masks: { start: number; end: number; name: string }[] = [];
  tokens.forEach((t, n) => {
    if (t.key) {
      const hit = sensitiveName(t.text, sensitive);
      if (!hit) return;
      const colon = text.indexOf(':', t.end);
      const open = colon < 0 ? -1 : text.slice(colon + 1).search(/\S/);
      const at = open < 0 ? -1 : colon + 1 + open;
      if (at >= 0 && (text[at] === '{' || text[at] === '[')) {
        masks.push({ start: at, end: closing(text, at), name: hit });
        return;
      }
      const next = tokens[n + 1];
      if (next && !next.key) masks.push({ start: next.start, end: next.end, name: hit });
      else if (!next) masks.push({ start: text.length, end: text.length, name: hit });
      return;
    }
    if (anywhere && sensitiveName(t.text, sensitive) === undefined) masks.push({ start: t.start, end: t.end, name: 'value' });
  });
  let out = '';
  let at = 0;
  for (const m of masks.sort((a, b) => a.start - b.start)) {
    if (m.start < at) continue;
    out += `${text.slice(at, m.start)}"${marker(m.name)}"`;
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * Derived changes keep the attribute name but not its values when the attribute is sensitive:
 * `user.updated employeeNumber` says what changed without saying to what.
 */
export function redactChanges<T extends object>(changes: readonly T[], sensitive: ReadonlySet<string>): T[] {
  return changes.map((c) => {
    if (!('attribute' in c) || typeof c.attribute !== 'string') return c;
    const hit = sensitiveName(c.attribute, sensitive);
    if (!hit) return c;
    const masked = (v: unknown) => (v === null || v === undefined ? v : marker(hit));
    return { ...c, from: masked('from' in c ? c.from : undefined), to: masked('to' in c ? c.to : undefined) };
  });
}

/** The end of the object or array opened at `at` (past its closing bracket), or the end of the text. */
function closing(text: string, at: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Query parameters that carry credentials (RFC 6750 §2.3, RFC 6749 §2.3.1), besides sensitive attributes. */
const CREDENTIAL_PARAMS = new Set([
  'access_token',
  'token',
  'client_secret',
  'client_assertion',
  'refresh_token',
  'id_token',
  'code',
  'api_key',
  'apikey',
  'key',
  'secret',
  'password',
  'authorization',
]);

/**
 * A URL as it may be stored: credential parameters and values that name a sensitive attribute
 * keep their name but lose their value. The path itself is kept (it holds resource ids).
 */
export function redactUrl(url: string, sensitive: ReadonlySet<string>): string {
  url = scrubCredentials(url);
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      let value = eq < 0 ? '' : pair.slice(eq + 1);
      try {
        name = decodeURIComponent(rawName.replaceAll('+', ' '));
        value = decodeURIComponent(value.replaceAll('+', ' '));
      } catch {
        // Broken percent-encoding: judge the raw text.
      }
      const bare = name.trim().toLowerCase();
      if (CREDENTIAL_PARAMS.has(bare) || sensitive.has(bare)) return `${rawName}=${REDACTED}`;
      // A filter on a sensitive attribute would carry its value as a literal.
      if (eq >= 0 && sensitiveName(value, sensitive)) return `${rawName}=${encodeURIComponent(maskPath(value))}`;
      return pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * Our own credentials have recognizable shapes (server/auth/tokens.ts, server/oauth/oauth.ts):
 * `scimdesk_<prefix>_<secret>`, `sdat_…` access tokens and `sdcs_…` client secrets. One pasted into
 * the wrong place (a resource id in the URL, echoed by a 404) keeps its prefix and loses its secret.
 */
const CREDENTIAL_SHAPES = /\b(scimdesk_[0-9a-f]{12}_|sdat_|sdcs_)[A-Za-z0-9_-]{16,}/g;

export function scrubCredentials(text: string): string {
  // Nearly every text holds none of the three prefixes: a substring search answers that several times
  // faster than the regular expression, which tries a word boundary at every position.
  if (!text.includes('scimdesk_') && !text.includes('sdat_') && !text.includes('sdcs_')) return text;
  return text.replace(CREDENTIAL_SHAPES, `$1${REDACTED}`);
}

/** Serializes a body for storage, cutting at `cap` bytes with a visible marker. */
export function serializeBody(raw: string | null, cap: number): string | null {
  if (raw === null) return null;
  const body = scrubCredentials(raw);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: a short text is under the cap without counting.
  if (body.length * 3 <= cap || Buffer.byteLength(body) <= cap) return body;
  const cut = Buffer.from(body).subarray(0, cap).toString('utf8');
  return `${cut}\n[TRUNCATED: ${Buffer.byteLength(body)} bytes, first ${cap} stored]`;
}
