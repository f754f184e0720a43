import { describe, expect, it } from 'vitest';
import type { RawOp } from '../../../server/dialect/manager.js';
import { dropNullRefs, removeByValueList } from '../../../server/dialect/members.js';

describe('dropNullRefs', () => {
  it('drops "$ref": null and notes the index', () => {
    const notes: string[] = [];
    expect(dropNullRefs([{ value: 'a' }, { $ref: null, value: 'b' }], 'members', notes)).toEqual([{ value: 'a' }, { value: 'b' }]);
    expect(notes).toEqual(['"$ref": null dropped from members[1]']);
  });
  it('keeps a real $ref', () => {
    const notes: string[] = [];
    expect(dropNullRefs([{ $ref: 'http://x/Users/a', value: 'a' }], 'members', notes)).toEqual([{ $ref: 'http://x/Users/a', value: 'a' }]);
    expect(notes).toEqual([]);
  });
});

describe('removeByValueList', () => {
  const cases: { name: string; source: RawOp; target: RawOp; notes: string[] }[] = [
    {
      name: 'one value (Entra without the flag)',
      source: { op: 'remove', path: 'members', value: [{ $ref: null, value: 'u1' }] },
      target: { op: 'remove', path: 'members[value eq "u1"]' },
      notes: ['remove of members with a value list read as members[value eq "u1"]'],
    },
    {
      name: 'two values become an "or"',
      source: { op: 'remove', path: 'Members', value: [{ value: 'u1' }, { value: 'u"2' }] },
      target: { op: 'remove', path: 'members[value eq "u1" or value eq "u\\"2"]' },
      notes: ['remove of members with a value list read as members[value eq "u1" or value eq "u\\"2"]'],
    },
    {
      name: 'a long list is summarized in the note',
      source: { op: 'remove', path: 'members', value: ['a', 'b', 'c', 'd'].map((value) => ({ value })) },
      target: { op: 'remove', path: 'members[value eq "a" or value eq "b" or value eq "c" or value eq "d"]' },
      notes: ['remove of members with a value list read as members[value eq "a" or …] (4 values)'],
    },
    {
      name: 'no value: the whole attribute, as the RFC says',
      source: { op: 'remove', path: 'members' },
      target: { op: 'remove', path: 'members' },
      notes: [],
    },
    {
      name: 'a malformed element is left for the core',
      source: { op: 'remove', path: 'members', value: [{ display: 'x' }] },
      target: { op: 'remove', path: 'members', value: [{ display: 'x' }] },
      notes: [],
    },
    {
      name: 'add is not touched',
      source: { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      target: { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      notes: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const notes: string[] = [];
      expect(removeByValueList(c.source, notes)).toEqual(c.target);
      expect(notes).toEqual(c.notes);
    });
  }

  it('leaves a list too long for the filter parser to the core', () => {
    const value = Array.from({ length: 400 }, (_, i) => ({ value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
    const notes: string[] = [];
    expect(removeByValueList({ op: 'remove', path: 'members', value }, notes)).toEqual({ op: 'remove', path: 'members', value });
    expect(notes).toEqual([]);
  });
});
