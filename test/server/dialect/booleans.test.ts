import { describe, expect, it } from 'vitest';
import { coerceBooleans } from '../../../server/dialect/booleans.js';
import type { Json } from '../../../server/scim/json.js';
import { findAttr, USER_SCHEMA_DEF } from '../../../server/scim/schemas.js';

const def = (name: string) => {
  const d = findAttr(USER_SCHEMA_DEF.attributes, name);
  if (!d) throw new Error(name);
  return d;
};

describe('coerceBooleans', () => {
  const cases: { name: string; attr: string; source: Json; target: Json; notes: string[]; element?: boolean }[] = [
    { name: '"False" on active', attr: 'active', source: 'False', target: false, notes: ['active "False" read as false'] },
    { name: '"TRUE" on active (any case)', attr: 'active', source: 'TRUE', target: true, notes: ['active "TRUE" read as true'] },
    { name: 'a real boolean is untouched', attr: 'active', source: false, target: false, notes: [] },
    { name: 'another string is left for the core to reject', attr: 'active', source: 'no', target: 'no', notes: [] },
    {
      name: 'primary inside a multi-valued attribute',
      attr: 'emails',
      source: [{ value: 'a@x', primary: 'True' }, { value: 'b@x' }],
      target: [{ value: 'a@x', primary: true }, { value: 'b@x' }],
      notes: ['emails[0].primary "True" read as true'],
    },
    {
      name: 'one element of a filtered path',
      attr: 'emails',
      source: { primary: 'false' },
      target: { primary: false },
      notes: ['emails.primary "false" read as false'],
      element: true,
    },
    { name: 'a string attribute keeps "True"', attr: 'title', source: 'True', target: 'True', notes: [] },
    {
      name: 'unknown sub-attributes are kept as sent',
      attr: 'emails',
      source: [{ extra: 'True' }],
      target: [{ extra: 'True' }],
      notes: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const notes: string[] = [];
      expect(coerceBooleans(def(c.attr), c.source, c.attr, notes, c.element)).toEqual(c.target);
      expect(notes).toEqual(c.notes);
    });
  }
});
