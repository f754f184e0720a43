/**
 * Attribute tables for the resources this node serves (RFC 7643 §2.2, §4, §7).
 * They are the single source of truth: the validator, the filter compiler, the PATCH engine and the
 * /Schemas discovery endpoint all read these tables, so what we advertise is what we enforce.
 */
export type AttrType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  name: string;
  type: AttrType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

type AttrOptions = Partial<Omit<AttributeDef, 'name' | 'type'>>;

/** Defaults follow RFC 7643 §2.2: optional, single-valued, caseExact false, readWrite, returned default. */
function attr(name: string, type: AttrType, options: AttrOptions = {}): AttributeDef {
  const def: AttributeDef = {
    name,
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
  if (type === 'reference' && !def.referenceTypes) def.referenceTypes = ['external'];
  return def;
}

const str = (name: string, description: string, options: AttrOptions = {}): AttributeDef =>
  attr(name, 'string', { description, ...options });

/** The sub-attributes shared by the multi-valued "value/display/type/primary" attributes (§2.4). */
function multiValued(
  name: string,
  description: string,
  types: string[] | undefined,
  valueType: AttrType = 'string',
  extra: AttributeDef[] = [],
): AttributeDef {
  const subs: AttributeDef[] = [
    attr('value', valueType, { description: `The value of ${name}.` }),
    str('display', 'A human-readable name, primarily used for display purposes.'),
    str('type', `A label indicating the ${name}'s function.`, types ? { canonicalValues: types } : {}),
    attr('primary', 'boolean', { description: 'Indicates the primary or preferred value.' }),
    ...extra,
  ];
  return attr(name, 'complex', { description, multiValued: true, subAttributes: subs });
}

/** id, externalId and meta are common to every resource (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  str('id', 'Unique identifier for the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  str('externalId', 'Identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  attr('meta', 'complex', {
    description: 'Resource metadata.',
    mutability: 'readOnly',
    subAttributes: [
      str('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', { description: 'When the resource was added.', mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { description: 'When the resource was last updated.', mutability: 'readOnly' }),
      attr('location', 'reference', { description: 'The URI of the resource.', mutability: 'readOnly', referenceTypes: ['uri'] }),
      str('version', 'The version (ETag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

const addressSubs: AttributeDef[] = [
  str('formatted', 'The full mailing address, formatted for display.'),
  str('streetAddress', 'The full street address component.'),
  str('locality', 'The city or locality component.'),
  str('region', 'The state or region component.'),
  str('postalCode', 'The zip code or postal code component.'),
  str('country', 'The country name component, ISO 3166-1 alpha-2.'),
  str('type', "A label indicating the address's function.", { canonicalValues: ['work', 'home', 'other'] }),
  attr('primary', 'boolean', { description: 'Indicates the primary mailing address.' }),
];

const groupRef = (desc: string): AttributeDef =>
  attr('groups', 'complex', {
    description: desc,
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      str('value', 'The identifier of the group.', { mutability: 'readOnly' }),
      attr('$ref', 'reference', { description: 'The URI of the group.', mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
      str('display', 'A human-readable name of the group.', { mutability: 'readOnly' }),
      str('type', 'Either "direct" or "indirect".', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
    ],
  });

export const USER_SCHEMA_DEF: SchemaDef = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', 'Unique identifier for the User, used to authenticate.', { required: true, uniqueness: 'server' }),
    attr('name', 'complex', {
      description: "The components of the user's real name.",
      subAttributes: [
        str('formatted', 'The full name, formatted for display.'),
        str('familyName', 'The family name of the User.'),
        str('givenName', 'The given name of the User.'),
        str('middleName', 'The middle name(s) of the User.'),
        str('honorificPrefix', 'The honorific prefix(es) of the User.'),
        str('honorificSuffix', 'The honorific suffix(es) of the User.'),
      ],
    }),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user.'),
    attr('profileUrl', 'reference', { description: "A fully qualified URL to the User's online profile." }),
    str('title', "The user's title, such as 'Vice President'."),
    str('userType', 'Used to identify the relationship between the organization and the user.'),
    str('preferredLanguage', "The User's preferred written or spoken language."),
    str('locale', "The User's default location for localizing items."),
    str('timezone', "The User's time zone in the 'Olson' format."),
    attr('active', 'boolean', { description: "The User's administrative status." }),
    str('password', "The User's cleartext password; write-only and never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValued('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValued('photos', 'URLs of photos of the User.', ['photo', 'thumbnail'], 'reference'),
    attr('addresses', 'complex', {
      description: 'A physical mailing address for this User.',
      multiValued: true,
      subAttributes: addressSubs,
    }),
    groupRef('A list of groups to which the user belongs, direct or indirect (derived, read-only).'),
    multiValued('entitlements', 'A list of entitlements for the User.', undefined),
    multiValued('roles', 'A list of roles for the User.', undefined),
    multiValued('x509Certificates', 'A list of certificates issued to the User.', undefined, 'binary'),
  ],
};

export const ENTERPRISE_USER_SCHEMA_DEF: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person.'),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    attr('manager', 'complex', {
      description: "The User's manager.",
      subAttributes: [
        str('value', 'The id of the SCIM resource representing the manager.', { caseExact: true }),
        attr('$ref', 'reference', { description: 'The URI of the manager resource.', referenceTypes: ['User'] }),
        str('displayName', 'The displayName of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const GROUP_SCHEMA_DEF: SchemaDef = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', 'A human-readable name for the Group.', { required: true, uniqueness: 'server' }),
    attr('members', 'complex', {
      description: 'A list of members of the Group.',
      multiValued: true,
      subAttributes: [
        str('value', 'Identifier of the member of this Group.', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', { description: 'The URI of the member.', mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        str('display', 'A human-readable name of the member.', { mutability: 'readOnly' }),
        str('type', 'The type of the member.', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
      ],
    }),
  ],
};

export interface ResourceTypeDef {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  description: string;
  schema: SchemaDef;
  extensions: { schema: SchemaDef; required: boolean }[];
}

export const USER_RESOURCE: ResourceTypeDef = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA_DEF,
  extensions: [{ schema: ENTERPRISE_USER_SCHEMA_DEF, required: false }],
};

export const GROUP_RESOURCE: ResourceTypeDef = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA_DEF,
  extensions: [],
};

export const RESOURCE_TYPES: ResourceTypeDef[] = [USER_RESOURCE, GROUP_RESOURCE];
export const ALL_SCHEMAS: SchemaDef[] = [USER_SCHEMA_DEF, ENTERPRISE_USER_SCHEMA_DEF, GROUP_SCHEMA_DEF];

/** A resolved attribute reference: which schema it belongs to and its definitions. */
export interface ResolvedAttr {
  /** The schema URN that owns the top-level attribute (core schema URN for common attributes). */
  schema: string;
  /** True when the attribute lives in an extension, i.e. under the URN key of the resource JSON. */
  extension: boolean;
  def: AttributeDef;
  sub?: AttributeDef;
}

const lower = (s: string): string => s.toLowerCase();

export function findAttr(defs: AttributeDef[], name: string): AttributeDef | undefined {
  const n = lower(name);
  return defs.find((d) => lower(d.name) === n);
}

/**
 * Resolve "uri:attr.sub" against a resource type. Attribute names and URNs are case-insensitive
 * (RFC 7643 §2.1, RFC 7644 §3.10). Returns undefined when the attribute does not exist.
 */
export function resolveAttr(rt: ResourceTypeDef, uri: string | undefined, name: string, sub?: string): ResolvedAttr | undefined {
  let schema = rt.schema.id;
  let extension = false;
  let def: AttributeDef | undefined;
  if (uri !== undefined && lower(uri) !== lower(rt.schema.id)) {
    const ext = rt.extensions.find((e) => lower(e.schema.id) === lower(uri));
    if (!ext) return undefined;
    schema = ext.schema.id;
    extension = true;
    def = findAttr(ext.schema.attributes, name);
  } else {
    def = findAttr(COMMON_ATTRIBUTES, name) ?? findAttr(rt.schema.attributes, name);
  }
  if (!def) return undefined;
  if (sub === undefined) return { schema, extension, def };
  const subDef = def.subAttributes ? findAttr(def.subAttributes, sub) : undefined;
  if (!subDef) return undefined;
  return { schema, extension, def, sub: subDef };
}
