import { describe, expect, it } from 'vitest';
import { limit } from '../../../server/store/sql.js';

describe('limit()', () => {
  it.each([
    [0, 'LIMIT 0'],
    [1, 'LIMIT 1'],
    [1000, 'LIMIT 1000'],
  ])('writes %i into the SQL as %s', (n, text) => {
    expect(limit(n)).toBe(text);
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 60]])('refuses %d, which no caller may pass', (n) => {
    expect(() => limit(n)).toThrow(`invalid LIMIT ${n}`);
  });
});
