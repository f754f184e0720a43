import { describe, expect, it } from 'vitest';
import { BOOLEAN_NAMES, correctFilterText } from '../../../server/dialect/filter-text.js';

describe('correctFilterText', () => {
  const cases: { name: string; source: string; target: string; notes: string[]; what?: 'filter' | 'path' }[] = [
    {
      name: 'quotes an unquoted value (Entra tutorial Example 1)',
      source: 'externalId eq jyoung',
      target: 'externalId eq "jyoung"',
      notes: ['filter value unquoted: externalId eq jyoung read as "jyoung"'],
    },
    {
      name: 'quotes bare values on both sides of "and"',
      source: 'userName eq alice and externalId eq a-1',
      target: 'userName eq "alice" and externalId eq "a-1"',
      notes: ['filter value unquoted: userName eq alice read as "alice"', 'filter value unquoted: externalId eq a-1 read as "a-1"'],
    },
    {
      name: 'reads "True" compared with a boolean sub-attribute as true (Entra roles mapping)',
      source: 'roles[primary eq "True"].value',
      target: 'roles[primary eq true].value',
      notes: ['path value primary eq "True" read as true'],
      what: 'path',
    },
    {
      name: 'reads unquoted False for a boolean as false',
      source: 'active eq False',
      target: 'active eq false',
      notes: ['filter value active eq False read as false'],
    },
    { name: 'leaves a quoted string alone', source: 'userName eq "True"', target: 'userName eq "True"', notes: [] },
    {
      name: 'leaves numbers, null and lower-case literals alone',
      source: 'x eq 12 or y eq null or active eq true',
      target: 'x eq 12 or y eq null or active eq true',
      notes: [],
    },
    { name: 'leaves "pr" alone', source: 'title pr and userName eq "a"', target: 'title pr and userName eq "a"', notes: [] },
    {
      name: 'keeps escaped quotes inside strings',
      source: 'displayName eq "a \\" eq b"',
      target: 'displayName eq "a \\" eq b"',
      notes: [],
    },
    {
      name: 'quotes a bare value inside a value filter',
      source: 'emails[type eq work].value',
      target: 'emails[type eq "work"].value',
      notes: ['path value unquoted: type eq work read as "work"'],
      what: 'path',
    },
    {
      name: 'leaves a URN path alone',
      source: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      notes: [],
      what: 'path',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const notes: string[] = [];
      expect(correctFilterText(c.source, c.what ?? 'filter', notes)).toBe(c.target);
      expect(notes).toEqual(c.notes);
    });
  }

  it('knows the boolean attributes from the schema tables', () => {
    expect([...BOOLEAN_NAMES].sort()).toEqual(['active', 'primary']);
  });
});
