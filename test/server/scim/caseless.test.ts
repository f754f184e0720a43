import { describe, expect, it } from 'vitest';
import { caselessKey, checkUserName, MAX_USER_NAME_LENGTH } from '../../../server/scim/caseless.js';
import { ScimError } from '../../../server/scim/errors.js';

/** Issue #15 item 8: one documented rule for "the same userName" (RFC 7643 §4.1.1 caseExact false). */
describe('caselessKey: NFC, then Unicode case folding', () => {
  it.each([
    ['émile@x', 'ÉMILE@x'],
    ['émile@x', 'e\u0301mile@x'],
    ['émile@x', 'E\u0301MILE@X'],
    ['straße', 'STRASSE'],
    ['straße', 'STRAẞE'],
    ['ẞ', 'ss'],
    ['σ', 'Σ'],
    ['ς', 'Σ'],
    ['ς', 'σ'],
    ['ﬁle', 'FILE'],
    ['\u212Aelvin', 'kelvin'],
    ['Ann', 'aNN'],
  ])('%j and %j are the same userName', (a, b) => {
    expect(caselessKey(a)).toBe(caselessKey(b));
  });

  it.each([
    ['émile', 'emile'],
    ['ann', 'anne'],
    ['ａｎｎ', 'ann'],
  ])('%j and %j are different userNames', (a, b) => {
    expect(caselessKey(a)).not.toBe(caselessKey(b));
  });

  it('is idempotent', () => {
    for (const s of ['ÉMILE', 'STRAẞE', 'ΣΊΣΥΦΟΣ', 'İstanbul', 'ﬃ', 'e\u0301\u0323'])
      expect(caselessKey(caselessKey(s))).toBe(caselessKey(s));
  });
});

describe('checkUserName', () => {
  const fails = (s: string): ScimError => {
    try {
      checkUserName(s);
    } catch (e) {
      if (e instanceof ScimError) return e;
      throw e;
    }
    throw new Error(`accepted ${JSON.stringify(s)}`);
  };

  it.each([
    ['a NUL', 'ann\u0000', /^userName must not contain control characters$/],
    ['a BEL', 'ann\u0007x', /^userName must not contain control characters$/],
    ['a newline', 'ann\nx', /^userName must not contain control characters$/],
    ['DEL', 'ann\u007f', /^userName must not contain control characters$/],
    ['a C1 control', 'ann\u0085', /^userName must not contain control characters$/],
    ['a lone surrogate', 'ann\ud800', /^userName must be well-formed Unicode \(a lone surrogate was sent\)$/],
    ['only spaces', '   ', /^userName must not be empty or only whitespace$/],
    ['only a no-break space', '\u00a0\u3000', /^userName must not be empty or only whitespace$/],
    ['empty', '', /^userName must not be empty or only whitespace$/],
    ['too long', 'a'.repeat(MAX_USER_NAME_LENGTH + 1), /^userName has 257 characters; at most 256 are allowed$/],
  ])('rejects %s with 400 invalidValue', (_name, value, detail) => {
    const e = fails(value);
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.detail).toMatch(detail);
  });

  it.each(['a'.repeat(MAX_USER_NAME_LENGTH), '🙂'.repeat(MAX_USER_NAME_LENGTH), 'Zoë-名前-🙂\u202e', ' padded '])('accepts %j', (s) => {
    expect(() => checkUserName(s)).not.toThrow();
  });
});
