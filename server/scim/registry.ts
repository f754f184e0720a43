/**
 * The attribute tables of this node as the admin has extended them. schemas.ts holds the fixed core
 * (User, EnterpriseUser, Group); a registry adds the declared extension schemas (RFC 7643 §3.3,
 * "schemaExtensions" of RFC 7643 §6) so that validation, projection, filtering and discovery read
 * one table and what /Schemas advertises is what the node enforces. Pure data: the store loads the
 * declarations and a service builds a new registry when they change.
 */
import type { ExtensionDeclaration } from './extension-schema.js';
import { isObject, type JsonObject } from './json.js';
import {
  type AttributeDef,
  GROUP_RESOURCE,
  GROUP_SCHEMA_DEF,
  type ResourceTypeDef,
  type SchemaDef,
  USER_RESOURCE,
  USER_SCHEMA_DEF,
} from './schemas.js';

export type UndeclaredPolicy = 'keep' | 'reject';

export class SchemaRegistry {
  readonly user: ResourceTypeDef;
  readonly group: ResourceTypeDef;
  private readonly byUrn = new Map<string, SchemaDef>();
  /** Declared attributes that are not returned by default (RFC 7643 §2.2 "returned": never, request). */
  readonly withheld: readonly { urn: string; name: string; returned: 'never' | 'request' }[];

  constructor(readonly declarations: readonly ExtensionDeclaration[] = []) {
    this.user = {
      ...USER_RESOURCE,
      extensions: [...USER_RESOURCE.extensions, ...declarations.map((d) => ({ schema: d.schema, required: false }))],
    };
    this.group = GROUP_RESOURCE;
    for (const e of this.user.extensions) this.byUrn.set(e.schema.id.toLowerCase(), e.schema);
    this.withheld = declarations.flatMap((d) =>
      d.schema.attributes.flatMap((a) =>
        a.returned === 'never' || a.returned === 'request' ? [{ urn: d.schema.id, name: a.name, returned: a.returned }] : [],
      ),
    );
  }

  /**
   * RFC 7643 §2.2: a "never" attribute is not returned at all, a "request" one only when the
   * `attributes` parameter names it (RFC 7644 §3.9). `requested(urn, name)` says whether it was.
   */
  withhold(resource: JsonObject, requested: (urn: string, name: string) => boolean): JsonObject {
    if (this.withheld.length === 0) return resource;
    let out = resource;
    for (const w of this.withheld) {
      const container = out[w.urn];
      if (!isObject(container) || !(w.name in container)) continue;
      if (w.returned === 'request' && requested(w.urn, w.name)) continue;
      const { [w.name]: _gone, ...rest } = container;
      out = { ...out };
      if (Object.keys(rest).length > 0) out[w.urn] = rest;
      else delete out[w.urn];
    }
    return out;
  }

  resourceTypes(): ResourceTypeDef[] {
    return [this.user, this.group];
  }

  allSchemas(): SchemaDef[] {
    return [USER_SCHEMA_DEF, ...this.user.extensions.map((e) => e.schema), GROUP_SCHEMA_DEF];
  }

  /** Is `urn` an extension schema known to the node (EnterpriseUser or declared)? Case-insensitive (RFC 7643 §2.1). */
  isExtensionUrn(urn: string): boolean {
    return this.byUrn.has(urn.toLowerCase());
  }

  /** The attribute definitions of a known extension schema, or undefined. */
  extensionAttributes(urn: string): AttributeDef[] | undefined {
    return this.byUrn.get(urn.toLowerCase())?.attributes;
  }

  /** Is `urn` declared by an admin (as opposed to built in, or unknown)? */
  isDeclared(urn: string): boolean {
    const u = urn.toLowerCase();
    return this.declarations.some((d) => d.schema.id.toLowerCase() === u);
  }
}

/** The registry of a node with nothing declared: the fixed tables of schemas.ts. */
export const BUILT_IN_REGISTRY = new SchemaRegistry();
