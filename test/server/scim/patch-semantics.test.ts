import { describe, it } from 'vitest';
import { checkOk, type OkCase, USER, USER_EMAILS, WITH_IMMUTABLE } from './patch-fixtures.js';

/** Add, replace and remove semantics (RFC 7644 §3.5.2.1–3), `changed` accuracy and mutability. */
const ok: OkCase[] = [
  // add semantics
  {
    name: 'add with filter and sub-attribute creates the element when nothing matches',
    resource: USER,
    ops: [{ op: 'add', path: 'emails[type eq "other"].value', value: 'bj@other.example' }],
    next: { ...USER, emails: [...USER_EMAILS, { type: 'other', value: 'bj@other.example' }] },
    changed: ['emails'],
  },
  {
    name: 'successive filtered adds merge into one address',
    resource: USER,
    ops: [
      { op: 'add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'add', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
      { op: 'add', path: 'addresses[type eq "work" and country eq "US"].postalCode', value: '12345' },
    ],
    next: {
      ...USER,
      addresses: [
        { type: 'work', streetAddress: '1 Main St', locality: 'Springfield' },
        { type: 'work', country: 'US', postalCode: '12345' },
      ],
    },
    changed: ['addresses'],
  },
  {
    name: 'add with filter and sub-attribute sets it on the matching element',
    resource: USER,
    ops: [{ op: 'add', path: 'emails[type eq "work"].value', value: 'new@work.example' }],
    next: {
      ...USER,
      emails: [
        { value: 'new@work.example', type: 'work', primary: true },
        { value: 'bj@home.example', type: 'home' },
      ],
    },
    changed: ['emails'],
  },
  {
    name: 'add with a filter and an object value creates from the eq conditions',
    resource: USER,
    ops: [{ op: 'add', path: 'phoneNumbers[type eq "mobile"]', value: { value: '+1 555 0100' } }],
    next: { ...USER, phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }] },
    changed: ['phoneNumbers'],
  },
  {
    name: 'add of a value already present changes nothing',
    resource: USER,
    ops: [{ op: 'add', path: 'emails', value: [{ type: 'home', value: 'bj@home.example' }] }],
    next: USER,
    changed: [],
  },
  {
    name: 'add of a primary value demotes the previous primary (RFC 7643 §2.4)',
    resource: USER,
    ops: [{ op: 'add', path: 'emails', value: [{ value: 'p@x.example', primary: true }] }],
    next: {
      ...USER,
      emails: [
        { value: 'bj@work.example', type: 'work', primary: false },
        { value: 'bj@home.example', type: 'home' },
        { value: 'p@x.example', primary: true },
      ],
    },
    changed: ['emails'],
  },
  {
    name: 'setting primary through a filter demotes the others',
    resource: USER,
    ops: [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }],
    next: {
      ...USER,
      emails: [
        { value: 'bj@work.example', type: 'work', primary: false },
        { value: 'bj@home.example', type: 'home', primary: true },
      ],
    },
    changed: ['emails'],
  },
  {
    name: 'add to a single-valued attribute replaces it',
    resource: { ...USER, title: 'Tour Guide' },
    ops: [{ op: 'add', path: 'title', value: 'Boss' }],
    next: { ...USER, title: 'Boss' },
    changed: ['title'],
  },
  {
    name: 'add to a complex attribute merges sub-attributes',
    resource: USER,
    ops: [{ op: 'add', path: 'name', value: { MiddleName: 'J' } }],
    next: { ...USER, name: { givenName: 'Barbara', familyName: 'Jensen', middleName: 'J' } },
    changed: ['name.middleName'],
  },
  {
    name: 'replace of a complex attribute keeps unspecified sub-attributes and unassigns nulls',
    resource: USER,
    ops: [{ op: 'replace', path: 'name', value: { givenName: null, formatted: 'B. Jensen' } }],
    next: { ...USER, name: { familyName: 'Jensen', formatted: 'B. Jensen' } },
    changed: ['name.formatted', 'name.givenName'],
  },
  {
    name: 'replace a sub-attribute by a case-insensitive path',
    resource: USER,
    ops: [{ op: 'replace', path: 'NAME.FAMILYNAME', value: 'Jensen-Smith' }],
    next: { ...USER, name: { givenName: 'Barbara', familyName: 'Jensen-Smith' } },
    changed: ['name.familyName'],
  },
  {
    name: 'replace of a multi-valued attribute with a path replaces the whole set',
    resource: USER,
    ops: [{ op: 'replace', path: 'emails', value: [{ value: 'only@x.example' }] }],
    next: { ...USER, emails: [{ value: 'only@x.example' }] },
    changed: ['emails'],
  },
  {
    name: 'replace with null unassigns',
    resource: { ...USER, title: 'Tour Guide' },
    ops: [{ op: 'replace', path: 'title', value: null }],
    next: USER,
    changed: ['title'],
  },
  // remove semantics
  {
    name: 'remove a sub-attribute; the last one removes the attribute',
    resource: { ...USER, name: { givenName: 'Barbara' } },
    ops: [{ op: 'remove', path: 'name.givenName' }],
    next: (({ name: _, ...rest }) => rest)(USER),
    changed: ['name.givenName'],
  },
  {
    name: 'remove a sub-attribute of matching elements',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails[type eq "home"].type' }],
    next: {
      ...USER,
      emails: [{ value: 'bj@work.example', type: 'work', primary: true }, { value: 'bj@home.example' }],
    },
    changed: ['emails'],
  },
  {
    name: 'remove a multi-valued attribute with a value list removes the listed values',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails', value: [{ value: 'bj@home.example' }] }],
    next: { ...USER, emails: [{ value: 'bj@work.example', type: 'work', primary: true }] },
    changed: ['emails'],
  },
  {
    name: 'removing the last element unassigns the attribute',
    resource: USER,
    ops: [{ op: 'remove', path: 'emails[type eq "work" or type eq "home"]' }],
    next: (({ emails: _, ...rest }) => rest)(USER),
    changed: ['emails'],
  },
  // changed accuracy
  {
    name: 'an unchanged value is not a change',
    resource: USER,
    ops: [
      { op: 'replace', path: 'active', value: true },
      { op: 'remove', path: 'title' },
      { op: 'replace', path: 'name.givenName', value: 'Barbara' },
    ],
    next: USER,
    changed: [],
  },
  {
    name: 'a change undone by a later operation is not a change',
    resource: USER,
    ops: [
      { op: 'add', path: 'title', value: 'Boss' },
      { op: 'remove', path: 'title' },
    ],
    next: USER,
    changed: [],
  },
  // mutability
  {
    name: 'immutable attribute may be added while unset',
    rt: WITH_IMMUTABLE,
    resource: USER,
    ops: [{ op: 'add', path: 'badge', value: 'B-1' }],
    next: { ...USER, badge: 'B-1' },
    changed: ['badge'],
  },
  {
    name: 'immutable attribute re-sent with its current value is accepted',
    rt: WITH_IMMUTABLE,
    resource: { ...USER, badge: 'B-1' },
    ops: [{ op: 'replace', value: { badge: 'B-1', title: 'x' } }],
    next: { ...USER, badge: 'B-1', title: 'x' },
    changed: ['title'],
  },
];

describe('applyPatch: operation semantics', () => {
  it.each(ok)('$name', checkOk);
});
