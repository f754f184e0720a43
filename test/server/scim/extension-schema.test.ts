import { describe, expect, it } from 'vitest';
import { DeclarationError, proposeAttribute, validateDeclaration } from '../../../server/scim/extension-schema.js';
import { SchemaRegistry } from '../../../server/scim/registry.js';

const URN = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const attrs = (...a: unknown[]) => ({ id: URN, attributes: a });

describe('validateDeclaration (RFC 7643 §7)', () => {
  it('fills RFC 7643 §2.2 defaults and takes the name from the URN', () => {
    expect(validateDeclaration(attrs({ name: 'costCenter', type: 'string', indexed: true }))).toEqual({
      schema: {
        id: URN,
        name: 'CustomExt',
        description: '',
        attributes: [
          {
            name: 'costCenter',
            type: 'string',
            multiValued: false,
            description: '',
            required: false,
            caseExact: false,
            mutability: 'readWrite',
            returned: 'default',
            uniqueness: 'none',
          },
        ],
      },
      indexed: ['costCenter'],
    });
  });

  it.each([
    ['not an object', 'x', '(declaration)', 'must be a JSON object'],
    ['no URN', { id: 'CustomExt', attributes: [{ name: 'a', type: 'string' }] }, 'id', 'must be a URN'],
    ['a quote in the URN', { id: "urn:x:a'b", attributes: [{ name: 'a', type: 'string' }] }, 'id', 'must be a URN'],
    [
      'the core schema',
      { id: 'urn:ietf:params:scim:schemas:core:2.0:User', attributes: [{ name: 'a', type: 'string' }] },
      'id',
      'is defined by the node',
    ],
    [
      'EnterpriseUser',
      { id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attributes: [{ name: 'a', type: 'string' }] },
      'id',
      'is defined by the node',
    ],
    ['no attributes', { id: URN, attributes: [] }, 'attributes', 'must be a non-empty array'],
    ['a bad name', attrs({ name: '1st', type: 'string' }), 'attributes[0].name', 'must be an attribute name'],
    ['no type', attrs({ name: 'a' }), 'attributes[0].type', 'is required'],
    ['binary', attrs({ name: 'a', type: 'binary' }), 'attributes[0].type', 'must be one of'],
    [
      'global uniqueness',
      attrs({ name: 'a', type: 'string', uniqueness: 'global' }),
      'attributes[0].uniqueness',
      'must be one of none, server',
    ],
    ['a non-boolean flag', attrs({ name: 'a', type: 'string', required: 'yes' }), 'attributes[0].required', 'must be true or false'],
    [
      'a duplicate name in another case',
      attrs({ name: 'a', type: 'string' }, { name: 'A', type: 'integer' }),
      'attributes',
      'declared twice',
    ],
    ['complex without sub-attributes', attrs({ name: 'a', type: 'complex' }), 'attributes[0].subAttributes', 'needs sub-attributes'],
    [
      'nested complex (RFC 7643 §2.3.8)',
      attrs({
        name: 'a',
        type: 'complex',
        subAttributes: [{ name: 'b', type: 'complex', subAttributes: [{ name: 'c', type: 'string' }] }],
      }),
      'attributes[0].subAttributes[0].type',
      'cannot be complex',
    ],
    [
      'sub-attributes on a string',
      attrs({ name: 'a', type: 'string', subAttributes: [] }),
      'attributes[0].subAttributes',
      'only a complex attribute',
    ],
    [
      'unique and multi-valued',
      attrs({ name: 'a', type: 'string', multiValued: true, uniqueness: 'server' }),
      'attributes[0].uniqueness',
      'single-valued',
    ],
    [
      'indexed and multi-valued',
      attrs({ name: 'a', type: 'string', multiValued: true, indexed: true }),
      'attributes[0].indexed',
      'single-valued',
    ],
  ])('refuses %s, naming the field', (_name, input, field, message) => {
    let err: unknown;
    try {
      validateDeclaration(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeclarationError);
    expect((err as DeclarationError).field).toBe(field);
    expect((err as DeclarationError).message).toContain(message);
  });
});

describe('proposeAttribute', () => {
  it.each([
    [['string'], 'string', false],
    [['integer'], 'integer', false],
    [['integer', 'decimal'], 'decimal', false],
    [['boolean'], 'boolean', false],
    [['dateTime'], 'dateTime', false],
    [['array'], 'string', true],
    [['string', 'boolean'], 'string', false],
  ])('%j → %s (multiValued %s)', (types, type, multiValued) => {
    expect(proposeAttribute('x', types)).toEqual({ name: 'x', type, multiValued });
  });
});

describe('SchemaRegistry', () => {
  it('adds declared extensions to the User resource type and answers isExtensionUrn/extensionAttributes', () => {
    const r = new SchemaRegistry([validateDeclaration(attrs({ name: 'costCenter', type: 'string' }))]);
    expect(r.user.extensions.map((e) => e.schema.id)).toEqual(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', URN]);
    expect(r.isExtensionUrn(URN.toLowerCase())).toBe(true);
    expect(r.isExtensionUrn('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).toBe(true);
    expect(r.isExtensionUrn('urn:ietf:params:scim:schemas:core:2.0:User')).toBe(false);
    expect(r.extensionAttributes(URN)?.map((a) => a.name)).toEqual(['costCenter']);
    expect(r.extensionAttributes('urn:x:y')).toBeUndefined();
    expect(r.allSchemas().map((s) => s.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      URN,
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
  });
});
