import { MAX_USER_NAME_LENGTH } from './caseless.js';
import type { JsonObject } from './json.js';
import {
  MAX_FILTER_COMPARISONS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  MAX_FILTER_VALUE_PATHS,
  MAX_MULTI_VALUED_ELEMENTS,
  MAX_PATCH_OPERATIONS,
} from './limits.js';
import { ALL_SCHEMAS, type AttributeDef, RESOURCE_TYPES, type ResourceTypeDef, type SchemaDef } from './schemas.js';

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export interface Paging {
  /** Page size used when a client sends no `count` (RFC 7644 §3.4.2.4). */
  defaultCount: number;
  /** The most a page ever holds; also advertised as filter.maxResults. */
  maxCount: number;
}

export function listResponse(resources: JsonObject[], total: number, startIndex: number): JsonObject {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

const meta = (resourceType: string, location: string): JsonObject => ({ resourceType, location });

/**
 * RFC 7643 §5, generated from what the node actually implements. RFC 7643 has no field for a PATCH,
 * filter or attribute-size limit (bulk.maxOperations is for /Bulk, which is not supported), so they
 * are listed under an extension key, beside filter.maxResults which it does have.
 */
export function serviceProviderConfig(base: string, paging: Paging, maxPayloadSize: number): JsonObject {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://github.com/scimdesk/scimdesk#readme',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: paging.maxCount },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with a provisioning token created by `scimdesk token create`.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    // Not part of RFC 7643's schema but harmless to clients: the page sizes Okta-style importers use.
    'urn:scimdesk:params:paging': { defaultCount: paging.defaultCount, maxCount: paging.maxCount },
    'urn:scimdesk:params:limits': {
      maxPatchOperations: MAX_PATCH_OPERATIONS,
      maxMultiValuedElements: MAX_MULTI_VALUED_ELEMENTS,
      maxFilterLength: MAX_FILTER_LENGTH,
      maxFilterComparisons: MAX_FILTER_COMPARISONS,
      maxFilterValuePaths: MAX_FILTER_VALUE_PATHS,
      maxFilterDepth: MAX_FILTER_DEPTH,
      maxUserNameLength: MAX_USER_NAME_LENGTH,
      maxPayloadSize,
    },
    meta: meta('ServiceProviderConfig', `${base}/ServiceProviderConfig`),
  };
}

export function resourceTypeResource(rt: ResourceTypeDef, base: string): JsonObject {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema.id,
    schemaExtensions: rt.extensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    meta: meta('ResourceType', `${base}/ResourceTypes/${rt.name}`),
  };
}

function attributeJson(a: AttributeDef): JsonObject {
  const out: JsonObject = {
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
  if (a.canonicalValues) out.canonicalValues = a.canonicalValues;
  if (a.referenceTypes) out.referenceTypes = a.referenceTypes;
  if (a.subAttributes) out.subAttributes = a.subAttributes.map(attributeJson);
  return out;
}

export function schemaResource(s: SchemaDef, base: string): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(attributeJson),
    meta: meta('Schema', `${base}/Schemas/${s.id}`),
  };
}

export const resourceTypes = (base: string): JsonObject[] => RESOURCE_TYPES.map((rt) => resourceTypeResource(rt, base));
export const schemas = (base: string): JsonObject[] => ALL_SCHEMAS.map((s) => schemaResource(s, base));
