import { describe, expect, it } from 'vitest';
import { correctManagerOp, MANAGER_PATH, managerValue, type RawOp } from '../../../server/dialect/manager.js';
import type { Json } from '../../../server/scim/json.js';

describe('managerValue', () => {
  const cases: { name: string; source: Json; target: Json; notes: string[] }[] = [
    { name: 'bare id', source: 'm1', target: { value: 'm1' }, notes: ['manager "m1" read as {"value":"m1"}'] },
    { name: 'empty string clears', source: '', target: null, notes: ['manager "" read as null (no manager)'] },
    { name: 'empty array clears', source: [], target: null, notes: ['manager [] read as null (no manager)'] },
    {
      name: 'array of {$ref, value} (Example 5)',
      source: [{ $ref: 'http://x/Users/m1', value: 'm1' }],
      target: { $ref: 'http://x/Users/m1', value: 'm1' },
      notes: ['manager array read as its first element {"$ref":"http://x/Users/m1","value":"m1"}'],
    },
    {
      name: 'null $ref in the array is dropped',
      source: [{ $ref: null, value: 'm1' }],
      target: { value: 'm1' },
      notes: ['manager array read as its first element {"value":"m1"}'],
    },
    { name: 'the complex form passes', source: { value: 'm1' }, target: { value: 'm1' }, notes: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const notes: string[] = [];
      expect(managerValue(c.source, notes)).toEqual(c.target);
      expect(notes).toEqual(c.notes);
    });
  }
});

describe('correctManagerOp', () => {
  const cases: { name: string; source: RawOp; target: RawOp; notes: string[] }[] = [
    {
      name: 'add of a bare id on the URN path (gallery validation)',
      source: { op: 'add', path: MANAGER_PATH, value: 'm1' },
      target: { op: 'add', path: MANAGER_PATH, value: { value: 'm1' } },
      notes: ['manager "m1" read as {"value":"m1"}'],
    },
    {
      name: 'replace with "" removes (gallery validation)',
      source: { op: 'replace', path: MANAGER_PATH, value: '' },
      target: { op: 'remove', path: MANAGER_PATH },
      notes: ['manager "" read as remove of the manager'],
    },
    {
      name: 'bare "manager" path with an array (tutorial Example 5)',
      source: { op: 'add', path: 'manager', value: [{ value: 'm1' }] },
      target: { op: 'add', path: MANAGER_PATH, value: { value: 'm1' } },
      notes: [`path "manager" read as "${MANAGER_PATH}"`, 'manager array read as its first element {"value":"m1"}'],
    },
    {
      name: 'remove of manager[value eq …]',
      source: { op: 'remove', path: `${MANAGER_PATH}[value eq "m1"]` },
      target: { op: 'remove', path: MANAGER_PATH },
      notes: [`remove of "${MANAGER_PATH}[value eq \\"m1\\"]" read as remove of the manager`],
    },
    {
      name: 'plain remove on the URN path is already right',
      source: { op: 'remove', path: MANAGER_PATH },
      target: { op: 'remove', path: MANAGER_PATH },
      notes: [],
    },
    {
      name: "a sub-attribute path is the core's",
      source: { op: 'replace', path: `${MANAGER_PATH}.value`, value: 'm1' },
      target: { op: 'replace', path: `${MANAGER_PATH}.value`, value: 'm1' },
      notes: [],
    },
    {
      name: 'other paths pass',
      source: { op: 'replace', path: 'displayName', value: 'x' },
      target: { op: 'replace', path: 'displayName', value: 'x' },
      notes: [],
    },
    {
      name: 'add with a filter is left for the core to reject',
      source: { op: 'add', path: 'manager[value eq "m1"]', value: 'x' },
      target: { op: 'add', path: 'manager[value eq "m1"]', value: 'x' },
      notes: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const notes: string[] = [];
      expect(correctManagerOp(c.source, notes)).toEqual(c.target);
      expect(notes).toEqual(c.notes);
    });
  }
});
