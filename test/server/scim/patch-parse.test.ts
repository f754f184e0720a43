import { describe, expect, it } from 'vitest';
import { parsePath } from '../../../server/scim/filter.js';
import { PATCH_OP } from '../../../server/scim/messages.js';
import { parsePatchRequest } from '../../../server/scim/patch.js';
import { body, type ErrCase, err, expectScimError } from './patch-fixtures.js';

const parseErrors: { name: string; body: unknown; error: ErrCase['error'] }[] = [
  { name: 'body not an object', body: [], error: err(400, 'invalidSyntax', 'PATCH body must be a JSON object') },
  {
    name: 'missing PatchOp schema',
    body: { Operations: [{ op: 'remove', path: 'title' }] },
    error: err(400, 'invalidSyntax', `"schemas" must be an array that includes "${PATCH_OP}"`),
  },
  {
    name: 'missing Operations',
    body: { schemas: [PATCH_OP] },
    error: err(400, 'invalidSyntax', '"Operations" must be a non-empty array'),
  },
  {
    name: 'empty Operations',
    body: body([]),
    error: err(400, 'invalidSyntax', '"Operations" must be a non-empty array'),
  },
  {
    name: 'more than 1000 operations',
    body: body(Array.from({ length: 1001 }, () => ({ op: 'remove', path: 'title' }))),
    error: err(400, 'invalidSyntax', '"Operations" has 1001 operations; at most 1000 are allowed'),
  },
  {
    name: 'operation not an object',
    body: body(['add']),
    error: err(400, 'invalidSyntax', 'operation 1: must be an object'),
  },
  {
    name: 'op in another case',
    body: body([{ op: 'Replace', path: 'title', value: 'x' }]),
    error: err(400, 'invalidSyntax', 'operation 1: "op" must be "add", "remove" or "replace" but was "Replace"'),
  },
  { name: 'op missing', body: body([{ path: 'title', value: 'x' }]), error: err(400, 'invalidSyntax', 'but was null') },
  {
    name: 'path not a string',
    body: body([{ op: 'remove', path: 3 }]),
    error: err(400, 'invalidPath', 'operation 1: "path" must be a string'),
  },
  {
    name: 'unparsable path names its operation',
    body: body([
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'emails[type eq]' },
    ]),
    error: err(400, 'invalidPath', 'operation 2: invalid path "emails[type eq]": '),
  },
  {
    name: 'add without value',
    body: body([{ op: 'add', path: 'title' }]),
    error: err(400, 'invalidValue', 'operation 1: "value" is required for "add"'),
  },
  {
    name: 'replace without value',
    body: body([{ op: 'replace', path: 'title' }]),
    error: err(400, 'invalidValue', 'operation 1: "value" is required for "replace"'),
  },
  {
    name: 'add with null value',
    body: body([{ op: 'add', path: 'title', value: null }]),
    error: err(400, 'invalidValue', 'operation 1: "value" must not be null for "add"'),
  },
  {
    name: 'remove without path',
    body: body([{ op: 'remove' }]),
    error: err(400, 'noTarget', 'operation 1: "remove" requires a "path"'),
  },
];

describe('parsePatchRequest', () => {
  it('returns 1-based operations with parsed paths; member names are case-insensitive', () => {
    const ops = parsePatchRequest({
      SCHEMAS: [PATCH_OP],
      operations: [
        { OP: 'add', Path: 'emails[type eq "work"].value', VALUE: 'x' },
        { op: 'replace', value: { title: 'y' } },
      ],
    });
    expect(ops).toStrictEqual([
      {
        index: 1,
        op: 'add',
        path: parsePath('emails[type eq "work"].value'),
        pathText: 'emails[type eq "work"].value',
        value: 'x',
      },
      { index: 2, op: 'replace', value: { title: 'y' } },
    ]);
  });

  it.each(parseErrors)('rejects: $name', ({ body: b, error }) => {
    expectScimError(() => parsePatchRequest(b), error);
  });
});
