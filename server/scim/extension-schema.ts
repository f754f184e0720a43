/**
 * The one validation of an extension declaration, shared by the CLI (`schema add`, `schema
 * add-attribute`), the console and import. A declaration is an RFC 7643 §7 schema resource: an id
 * (a URN), a name, a description and attributes (name, type, multiValued, caseExact, required,
 * uniqueness, mutability, returned, and subAttributes for a complex type). Pure: no I/O.
 */
import { type AttributeJson, attributeJson } from './attribute-json.js';
import { isObject, type Json, type JsonObject } from './json.js';
import {
  type AttributeDef,
  type AttrType,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  type Mutability,
  type Returned,
  type SchemaDef,
  type Uniqueness,
  USER_SCHEMA,
} from './schemas.js';

/** A declaration problem, with the JSON path of the field at fault ("attributes[0].type"). */
export class DeclarationError extends Error {
  override name = 'DeclarationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** RFC 7643 §2.3: the data types an extension attribute may have (binary is left out: nothing to filter or index). */
export const DECLARABLE_TYPES: readonly AttrType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex'];
const MUTABILITIES: readonly Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED: readonly Returned[] = ['always', 'never', 'default', 'request'];
/** "global" needs knowledge of other providers' data that a single node cannot have, so it is not accepted. */
const UNIQUENESS: readonly Uniqueness[] = ['none', 'server'];

/**
 * RFC 8141 NSS characters, minus the quote characters: the URN ends up inside a JSON path in SQL
 * (json_extract(data, '$."urn"."attr"')) and in index names, so ' and " are refused outright.
 */
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*%/?#]+$/;
/** ATTRNAME of RFC 7643 §2.1 (the filter grammar's ATTRNAME, RFC 7644 §3.4.2.2). */
const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** The most attributes one declaration may list (also bounds what is recorded per undeclared URN). */
export const MAX_ATTRIBUTES = 100;

/** URNs the node itself defines: an extension may not redefine them. */
const RESERVED = [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA].map((s) => s.toLowerCase());

export function isReservedUrn(urn: string): boolean {
  return RESERVED.includes(urn.toLowerCase());
}

/** True when `text` is shaped like an extension schema URN (used to tell undeclared extension keys from junk). */
export function looksLikeUrn(text: string): boolean {
  return URN.test(text);
}

function pick<T extends string>(o: JsonObject, key: string, allowed: readonly T[], fallback: T, field: string): T {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new DeclarationError(`${field}.${key}`, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function flag(o: JsonObject, key: string, field: string): boolean {
  const v = o[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new DeclarationError(`${field}.${key}`, 'must be true or false');
  return v;
}

function attribute(raw: Json, field: string, nested: boolean): AttributeDef {
  if (!isObject(raw)) throw new DeclarationError(field, 'must be an object');
  const name = raw.name;
  if (typeof name !== 'string' || !ATTR_NAME.test(name)) {
    throw new DeclarationError(`${field}.name`, 'must be an attribute name (a letter, then letters, digits, "_" or "-")');
  }
  const type = pick(raw, 'type', DECLARABLE_TYPES, 'string', field);
  if (raw.type === undefined) throw new DeclarationError(`${field}.type`, `is required (one of ${DECLARABLE_TYPES.join(', ')})`);
  const def: AttributeDef = {
    name,
    type,
    multiValued: flag(raw, 'multiValued', field),
    description: typeof raw.description === 'string' ? raw.description : '',
    required: flag(raw, 'required', field),
    caseExact: flag(raw, 'caseExact', field),
    mutability: pick(raw, 'mutability', MUTABILITIES, 'readWrite', field),
    returned: pick(raw, 'returned', RETURNED, 'default', field),
    uniqueness: pick(raw, 'uniqueness', UNIQUENESS, 'none', field),
  };
  if (type === 'reference') {
    const rt = raw.referenceTypes;
    def.referenceTypes = Array.isArray(rt) && rt.every((x) => typeof x === 'string') ? (rt as string[]) : ['external'];
  }
  if (Array.isArray(raw.canonicalValues)) {
    if (!raw.canonicalValues.every((x) => typeof x === 'string')) {
      throw new DeclarationError(`${field}.canonicalValues`, 'must be an array of strings');
    }
    def.canonicalValues = raw.canonicalValues as string[];
  }
  if (type === 'complex') {
    // RFC 7643 §2.3.8: a complex attribute's sub-attributes cannot themselves be complex.
    if (nested) throw new DeclarationError(`${field}.type`, 'a sub-attribute cannot be complex (RFC 7643 §2.3.8)');
    const subs = raw.subAttributes;
    if (!Array.isArray(subs) || subs.length === 0)
      throw new DeclarationError(`${field}.subAttributes`, 'a complex attribute needs sub-attributes');
    def.subAttributes = subs.map((s, i) => attribute(s, `${field}.subAttributes[${i}]`, true));
    noDuplicates(def.subAttributes, `${field}.subAttributes`);
  } else if (raw.subAttributes !== undefined) {
    throw new DeclarationError(`${field}.subAttributes`, `only a complex attribute has sub-attributes, not a ${type}`);
  }
  if (def.uniqueness === 'server' && (type === 'complex' || def.multiValued)) {
    throw new DeclarationError(`${field}.uniqueness`, '"server" applies to a single-valued, non-complex attribute');
  }
  return def;
}

function noDuplicates(defs: AttributeDef[], field: string): void {
  const seen = new Set<string>();
  for (const d of defs) {
    const k = d.name.toLowerCase();
    // Attribute names are case-insensitive (RFC 7643 §2.1), so "costCenter" and "CostCenter" collide.
    if (seen.has(k)) throw new DeclarationError(field, `attribute "${d.name}" is declared twice`);
    seen.add(k);
  }
}

/** The index flag is ours, not RFC 7643's: it rides along on the attribute as `"indexed": true`. */
export interface ExtensionDeclaration {
  schema: SchemaDef;
  /** Top-level attribute names with an expression index. */
  indexed: string[];
}

/** Validates a declaration (an RFC 7643 §7 schema resource plus `indexed` flags). Throws DeclarationError. */
export function validateDeclaration(input: unknown): ExtensionDeclaration {
  if (!isObject(input)) throw new DeclarationError('(declaration)', 'must be a JSON object');
  const id = input.id;
  if (typeof id !== 'string' || !URN.test(id)) {
    throw new DeclarationError('id', 'must be a URN such as "urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User"');
  }
  if (isReservedUrn(id)) throw new DeclarationError('id', `"${id}" is defined by the node and cannot be redeclared`);
  const raws = input.attributes;
  if (!Array.isArray(raws) || raws.length === 0) throw new DeclarationError('attributes', 'must be a non-empty array');
  if (raws.length > MAX_ATTRIBUTES) throw new DeclarationError('attributes', `at most ${MAX_ATTRIBUTES} attributes`);
  const attributes = raws.map((a, i) => attribute(a, `attributes[${i}]`, false));
  noDuplicates(attributes, 'attributes');
  const indexed: string[] = [];
  raws.forEach((a, i) => {
    if (!isObject(a) || a.indexed === undefined) return;
    if (typeof a.indexed !== 'boolean') throw new DeclarationError(`attributes[${i}].indexed`, 'must be true or false');
    const def = attributes[i] as AttributeDef;
    if (!a.indexed) return;
    if (def.type === 'complex' || def.multiValued) {
      throw new DeclarationError(`attributes[${i}].indexed`, 'only a single-valued, non-complex attribute can be indexed');
    }
    indexed.push(def.name);
  });
  // "urn:…:extension:CustomExt:2.0:User" is named "CustomExt" unless the declaration names it.
  const fallback = /:extension:([^:]+):/i.exec(id)?.[1] ?? id.slice(id.lastIndexOf(':') + 1);
  const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : fallback;
  const description = typeof input.description === 'string' ? input.description : '';
  return { schema: { id, name, description, attributes }, indexed };
}

/** Re-exported: callers of declarationJson name its attribute type from here. */
export type { AttributeJson } from './attribute-json.js';

/** A declaration as JSON: what `schema list --json` prints and `schema add --file` reads. */
export interface DeclarationJson {
  id: string;
  name: string;
  description: string;
  attributes: AttributeJson[];
}

/** The declaration as JSON: the §7 schema shape with `indexed` on the attributes that have it. */
export function declarationJson(d: ExtensionDeclaration): DeclarationJson {
  const attributes = d.schema.attributes.map((a) => attributeJson(a, (x) => d.indexed.includes(x.name)));
  return { id: d.schema.id, name: d.schema.name, description: d.schema.description, attributes };
}

/** The JSON type name of a value, as the "undeclared attributes seen" table records it. */
export function jsonTypeOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'decimal';
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) ? 'dateTime' : 'string';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Proposes an attribute definition from the value types seen for an undeclared attribute. */
export function proposeAttribute(name: string, seenTypes: string[]): { name: string; type: AttrType; multiValued: boolean } {
  const types = new Set(seenTypes.filter((t) => t !== 'null'));
  const one = types.size === 1 ? [...types][0] : undefined;
  const type =
    one === 'boolean' || one === 'integer' || one === 'dateTime'
      ? one
      : types.size > 0 && [...types].every((t) => t === 'integer' || t === 'decimal')
        ? 'decimal'
        : 'string';
  // An array was seen: propose a multi-valued string; anything else mixed falls back to a string.
  return { name, type: one === 'array' ? 'string' : type, multiValued: one === 'array' };
}
