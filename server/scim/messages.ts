import { attributeJson } from './attribute-json.js';
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
import { BUILT_IN_REGISTRY, type SchemaRegistry } from './registry.js';
import type { ResourceTypeDef, SchemaDef } from './schemas.js';

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
/** SCIM Desk's extension of the ServiceProviderConfig: the request limits RFC 7643 §5 has no field for. */
export const LIMITS_SCHEMA = 'urn:scimdesk:params:limits';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export interface Paging {
  /** Page size used when a client sends no `count` (RFC 7644 §3.4.2.4). */
  defaultCount: number;
  /** The most a page ever holds; also advertised as filter.maxResults. */
  maxCount: number;
  /** RFC 9865 `cursorTimeout`: seconds a cursor stays valid after it was issued. */
  cursorTimeoutSeconds: number;
}

/** What /ServiceProviderConfig reports beside the fixed features: what this node accepts right now. */
export interface ProviderFacts {
  /** Some OAuth client is active, so the token endpoint issues access tokens (RFC 6749 §4.4). */
  oauth: boolean;
  /** Absolute URL of the OAuth token endpoint. */
  tokenEndpoint: string;
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

/**
 * A cursor page (RFC 9865 §2.2): no startIndex; nextCursor only when another page follows.
 * totalResults stays, as RFC 7644 §3.4.2 requires it and strict clients check for it.
 */
export function cursorListResponse(resources: JsonObject[], total: number, nextCursor: string | undefined): JsonObject {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    itemsPerPage: resources.length,
    ...(nextCursor === undefined ? {} : { nextCursor }),
    Resources: resources,
  };
}

const meta = (resourceType: string, location: string): JsonObject => ({ resourceType, location });

/**
 * RFC 7643 §5, generated from what the node actually implements. RFC 7643 has no field for a PATCH,
 * filter or attribute-size limit (bulk.maxOperations is for /Bulk, which is not supported), so they
 * are listed under an extension key, declared in `schemas` so that strict clients accept the
 * document (python-scim's scim2-client rejects undeclared keys). Page sizes are RFC 9865's
 * `pagination`.
 */
export function serviceProviderConfig(base: string, paging: Paging, facts: ProviderFacts, maxPayloadSize: number): JsonObject {
  return {
    schemas: [SPC_SCHEMA, LIMITS_SCHEMA],
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
      // RFC 7643 §5: every scheme the node accepts. OAuth 2.0 client credentials while a client is active.
      ...(facts.oauth
        ? [
            {
              type: 'oauth2',
              name: 'OAuth 2.0 client credentials',
              description: `Access tokens from the token endpoint ${facts.tokenEndpoint} (grant_type=client_credentials), sent as a Bearer token.`,
              specUri: 'https://www.rfc-editor.org/info/rfc6749',
              primary: false,
            },
          ]
        : []),
    ],
    // RFC 9865 §4: page sizes and both paging methods. Index paging stays the default, as Okta and
    // Entra page by startIndex; a client opts into cursors by sending `cursor`.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: paging.defaultCount,
      maxPageSize: paging.maxCount,
      cursorTimeout: paging.cursorTimeoutSeconds,
    },
    [LIMITS_SCHEMA]: {
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

export function schemaResource(s: SchemaDef, base: string): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map((a) => attributeJson(a)),
    meta: meta('Schema', `${base}/Schemas/${s.id}`),
  };
}

export const resourceTypes = (base: string, registry: SchemaRegistry = BUILT_IN_REGISTRY): JsonObject[] =>
  registry.resourceTypes().map((rt) => resourceTypeResource(rt, base));
export const schemas = (base: string, registry: SchemaRegistry = BUILT_IN_REGISTRY): JsonObject[] =>
  registry.allSchemas().map((s) => schemaResource(s, base));
