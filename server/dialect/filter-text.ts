/**
 * Corrections to filter text (list queries) and to the value filters inside PATCH paths, before
 * the strict parser of server/scim/filter.ts sees them. The text is only re-quoted where a
 * comparison's value is malformed; everything else is passed through byte for byte.
 */
import type { AttributeDef } from '../scim/schemas.js';
import { ALL_SCHEMAS, COMMON_ATTRIBUTES } from '../scim/schemas.js';

/** Lower-case names of every boolean attribute or sub-attribute ("active", "primary"). */
export const BOOLEAN_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  const walk = (defs: AttributeDef[]): void => {
    for (const d of defs) {
      if (d.type === 'boolean') names.add(d.name.toLowerCase());
      if (d.subAttributes) walk(d.subAttributes);
    }
  };
  walk(COMMON_ATTRIBUTES);
  for (const s of ALL_SCHEMAS) walk(s.attributes);
  return names;
})();

// Every operator of RFC 7644 §3.4.2.2 that takes a value ("pr" takes none).
const VALUE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const LITERAL = /^(?:true|false|null)$/i;
const BOOL_TEXT = /^(?:true|false)$/i;

interface Token {
  kind: 'word' | 'string' | 'punct';
  /** The token exactly as written (strings keep their quotes). */
  raw: string;
  pos: number;
}

const isDelimiter = (c: string): boolean => /[\s()[\]"]/.test(c);

/** Splits filter text into words, quoted strings and brackets; an unterminated string ends the text. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if ('()[]'.includes(c)) {
      out.push({ kind: 'punct', raw: c, pos: i });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== '"') j += text.charAt(j) === '\\' ? 2 : 1;
      out.push({ kind: 'string', raw: text.slice(i, j + 1), pos: i });
      i = j + 1;
    } else {
      const start = i;
      while (i < text.length && !isDelimiter(text.charAt(i))) i++;
      out.push({ kind: 'word', raw: text.slice(start, i), pos: start });
    }
  }
  return out;
}

/** "emails.primary" → "primary"; "urn:…:User:manager.value" → "value". */
const lastSegment = (attr: string): string => attr.split(/[.:]/).pop()?.toLowerCase() ?? '';

function unquote(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Two corrections, each noted:
 * - an unquoted string value, as in Microsoft's own example `externalId eq jyoung`
 *   ("Tutorial: Develop and plan provisioning for a SCIM endpoint", Example 1), is quoted;
 * - a quoted "True"/"False" compared with a boolean attribute, as in Entra's mapping target
 *   `roles[primary eq "True"].value` (same tutorial), becomes the literal true/false.
 * `what` names where the text came from in the note: "filter" or "path".
 */
export function correctFilterText(text: string, what: 'filter' | 'path', notes: string[]): string {
  const tokens = tokenize(text);
  const edits: { pos: number; len: number; text: string }[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [attr, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!attr || !op || !value || attr.kind !== 'word' || op.kind !== 'word' || !VALUE_OPS.has(op.raw.toLowerCase())) continue;
    const isBoolean = BOOLEAN_NAMES.has(lastSegment(attr.raw));
    if (value.kind === 'word' && !JSON_NUMBER.test(value.raw)) {
      if (LITERAL.test(value.raw)) {
        // RFC 7644 §3.4.2.2 spells the literals in lower case; "True" unquoted is the same mistake.
        if (isBoolean && BOOL_TEXT.test(value.raw) && value.raw !== value.raw.toLowerCase()) {
          edits.push({ pos: value.pos, len: value.raw.length, text: value.raw.toLowerCase() });
          notes.push(`${what} value ${attr.raw} ${op.raw} ${value.raw} read as ${value.raw.toLowerCase()}`);
        }
        continue;
      }
      const quoted = JSON.stringify(value.raw);
      edits.push({ pos: value.pos, len: value.raw.length, text: quoted });
      notes.push(`${what} value unquoted: ${attr.raw} ${op.raw} ${value.raw} read as ${quoted}`);
    } else if (value.kind === 'string' && isBoolean) {
      const inner = unquote(value.raw);
      if (inner === undefined || !BOOL_TEXT.test(inner)) continue;
      const literal = inner.toLowerCase();
      edits.push({ pos: value.pos, len: value.raw.length, text: literal });
      notes.push(`${what} value ${attr.raw} ${op.raw} ${value.raw} read as ${literal}`);
    }
  }
  let out = text;
  for (const e of edits.reverse()) out = out.slice(0, e.pos) + e.text + out.slice(e.pos + e.len);
  return out;
}

/**
 * Entra's `emails[type eq "work"].value eq "x"`: a value path followed by a sub-attribute and a
 * comparison, outside RFC 7644 §3.4.2.2's grammar (a valuePath ends at "]" in a filter). It means
 * "an email that is of type work and has value x", which the grammar spells
 * `emails[type eq "work" and value eq "x"]`; an inner filter holding "or" is parenthesized so the
 * "and" keeps its meaning. One note per rewrite.
 */
export function correctValuePathSubAttr(text: string, notes: string[]): string {
  let out = text;
  // Each pass rewrites the first occurrence; a filter holds few, and the cap bounds hostile input.
  for (let pass = 0; pass < 32; pass++) {
    const tokens = tokenize(out);
    const at = tokens.findIndex(
      (t, i) =>
        t.kind === 'punct' && t.raw === ']' && tokens[i + 1]?.kind === 'word' && /^\.[A-Za-z][\w$-]*$/.test(tokens[i + 1]?.raw ?? ''),
    );
    if (at < 0) return out;
    const close = tokens[at];
    const sub = tokens[at + 1];
    const op = tokens[at + 2];
    if (!close || !sub || op?.kind !== 'word') return out;
    const isPresent = op.raw.toLowerCase() === 'pr';
    const value = isPresent ? undefined : tokens[at + 3];
    if (!isPresent && (!VALUE_OPS.has(op.raw.toLowerCase()) || !value || value.kind === 'punct')) return out;
    // The "[" that opens this value path, and the attribute name written before it.
    let depth = 0;
    let open = -1;
    for (let i = at - 1; i >= 0; i--) {
      const t = tokens[i];
      if (t?.kind !== 'punct') continue;
      if (t.raw === ']') depth++;
      else if (t.raw === '[') {
        if (depth === 0) {
          open = i;
          break;
        }
        depth--;
      }
    }
    const attr = tokens[open - 1];
    const bracket = tokens[open];
    if (open < 1 || !attr || !bracket || attr.kind !== 'word' || attr.pos + attr.raw.length !== bracket.pos) return out;
    const inner = out.slice(bracket.pos + 1, close.pos).trim();
    const hasOr = tokens.slice(open + 1, at).some((t) => t.kind === 'word' && t.raw.toLowerCase() === 'or');
    const last = value ?? op;
    const end = last.pos + last.raw.length;
    const comparison = `${sub.raw.slice(1)} ${op.raw}${value ? ` ${value.raw}` : ''}`;
    const rewritten = `${attr.raw}[${hasOr ? `(${inner})` : inner} and ${comparison}]`;
    notes.push(`filter ${out.slice(attr.pos, end)} read as ${rewritten}`);
    out = out.slice(0, attr.pos) + rewritten + out.slice(end);
  }
  return out;
}
