import type { AttributeDef } from './schemas.js';

/** An attribute definition as RFC 7643 §7 JSON, plus our `indexed` flag on a declared extension's attributes. */
export type AttributeJson = Omit<AttributeDef, 'subAttributes'> & { subAttributes?: AttributeJson[]; indexed?: boolean };

/**
 * An attribute definition as RFC 7643 §7 JSON, for the /Schemas resources and for a declaration's
 * JSON: the §7 fields in order, the optional ones only when set. `indexed` says which attributes
 * carry `"indexed": true` (only a declaration's do; /Schemas never does).
 */
export function attributeJson(a: AttributeDef, indexed: (a: AttributeDef) => boolean = () => false): AttributeJson {
  const o: AttributeJson = {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
  };
  if (a.canonicalValues) o.canonicalValues = a.canonicalValues;
  if (a.referenceTypes) o.referenceTypes = a.referenceTypes;
  if (a.subAttributes) o.subAttributes = a.subAttributes.map((s) => attributeJson(s, indexed));
  if (indexed(a)) o.indexed = true;
  return o;
}
