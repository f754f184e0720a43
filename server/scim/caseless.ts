/**
 * When two strings are "the same" for an attribute with caseExact false (RFC 7643 §2.2, §4.1.1:
 * userName is caseExact false and uniqueness server), and what a userName may contain.
 * Issue #15 item 8: the store used SQLite's NOCASE, which folds ASCII only, so "émile" and "ÉMILE"
 * (and "émile" written with a combining accent) were three different users.
 */
import { badRequest } from './errors.js';

/** Longest userName accepted, in Unicode code points (an emoji counts 1, "e" + U+0301 counts 2). */
export const MAX_USER_NAME_LENGTH = 256;

/**
 * The caseless key: Unicode canonical composition (NFC, UAX #15), then case folding approximated as
 * lower(upper(lower(s))), then NFC again because case mapping can decompose. The three mappings
 * give the full folding of Unicode's CaseFolding.txt (status C and F) for ß/ẞ → "ss", final ς → σ,
 * ligatures (ﬁ → "fi") and the Kelvin sign, which plain toLowerCase() misses. Locale-independent:
 * no Turkish dotless-i rule. Compatibility forms (full-width "ａ") stay distinct: NFC, not NFKC.
 */
export function caselessKey(s: string): string {
  return s.normalize('NFC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
}

/** C0 and C1 controls and DEL (Unicode general category Cc): NUL, escape sequences, line breaks. */
const CONTROL = /\p{Cc}/u;
/** With the u flag a paired surrogate is one code point, so this finds lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;
const ONLY_WHITESPACE = /^\s*$/u;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** RFC 7643 §4.1.1 leaves userName's content to the service provider; these are ours. 400 invalidValue. */
export function checkUserName(s: string): void {
  // At most two UTF-16 units per code point: only a string that might be too long is counted.
  const length = s.length > MAX_USER_NAME_LENGTH ? codePoints(s) : s.length;
  if (length > MAX_USER_NAME_LENGTH) {
    throw badRequest('invalidValue', `userName has ${length} characters; at most ${MAX_USER_NAME_LENGTH} are allowed`);
  }
  if (CONTROL.test(s)) throw badRequest('invalidValue', 'userName must not contain control characters');
  if (LONE_SURROGATE.test(s)) throw badRequest('invalidValue', 'userName must be well-formed Unicode (a lone surrogate was sent)');
  if (ONLY_WHITESPACE.test(s)) throw badRequest('invalidValue', 'userName must not be empty or only whitespace');
}
