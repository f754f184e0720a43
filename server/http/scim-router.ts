import express, { type Request, type RequestHandler, type Response } from 'express';
import { dialect } from '../dialect/middleware.js';
import type { GroupsService } from '../directory/groups.js';
import { type ListParams, pageOf } from '../directory/query.js';
import type { UsersService } from '../directory/users.js';
import { etag, notModified } from '../directory/versions.js';
import type { EventRecorder } from '../events/recorder.js';
import { scrubCredentials } from '../events/redact.js';
import type { RequestContext } from '../events/request-context.js';
import { badRequest, notFound, ScimError, UnknownAttributeError } from '../scim/errors.js';
import { isObject, type JsonObject } from '../scim/json.js';
import {
  listResponse,
  type Paging,
  resourceTypeResource,
  resourceTypes,
  SEARCH_REQUEST,
  schemaResource,
  schemas,
  serviceProviderConfig,
} from '../scim/messages.js';
import { ALL, knowsAttribute, type Projection, parseProjection, project, splitAttributeList } from '../scim/projection.js';
import type { SchemaRegistry } from '../scim/registry.js';
import { GROUP_RESOURCE, type ResourceTypeDef } from '../scim/schemas.js';
import { type ScimPathParts, splitScimPath } from '../scim/url-path.js';
import { type GuardDeps, requestGuard } from './auth.js';
import { chain } from './chain.js';
import { scimErrorHandler } from './errors.js';
import { OAUTH_BASE_PATH } from './oauth-router.js';
import { contextOf, requestLog } from './request-log.js';
import { sendScim } from './send.js';

export const SCIM_BASE_PATH = '/api/scim/v2';

export interface ScimRouterDeps {
  users: UsersService;
  groups: GroupsService;
  /** The attribute tables with the declared extensions, as they are now (discovery, projection). */
  schemas: () => SchemaRegistry;
  guard: GuardDeps;
  recorder: EventRecorder;
  paging: Paging;
  /** Whether an OAuth client is active, for /ServiceProviderConfig's authenticationSchemes. */
  oauthEnabled: () => boolean;
  bodyLimitBytes: number;
  sensitive: ReadonlySet<string>;
  bodyCapBytes: number;
  now: () => Date;
  log: (msg: string, err: unknown) => void;
}

const JSON_TYPES = ['application/json', 'application/scim+json'];

/** Resource locations use the host the client called, so Okta and Entra see their own URL. */
const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

/** The query string as the dialect step left it (parsed once, corrected). */
function query(res: Response): ListParams {
  const q = (res.locals.query ?? {}) as Record<string, unknown>;
  const s = (k: string): string | undefined => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return {
    filter: s('filter'),
    startIndex: s('startIndex'),
    count: s('count'),
    sortBy: s('sortBy'),
    sortOrder: s('sortOrder'),
    attributes: s('attributes'),
    excludedAttributes: s('excludedAttributes'),
    // `?cursor` (no value) parses as "": the first cursor page (RFC 9865 §2.1).
    cursor: s('cursor'),
  };
}

/** POST /.search body (RFC 7644 §3.4.3): the same parameters as a query, in JSON. */
function searchParams(body: unknown): ListParams {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'search request body must be a JSON object');
  const listed = Array.isArray(body.schemas) ? body.schemas : [];
  if (!listed.includes(SEARCH_REQUEST)) throw badRequest('invalidSyntax', `search request "schemas" must contain "${SEARCH_REQUEST}"`);
  const str = (k: string): string | undefined => {
    const v = body[k];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    throw badRequest('invalidValue', `search request "${k}" has the wrong type`);
  };
  // JSON numbers stay numbers: String(1e21) would be "1e+21", which is not decimal text.
  const int = (k: string): string | number | undefined => (typeof body[k] === 'number' ? (body[k] as number) : str(k));
  return {
    filter: str('filter'),
    startIndex: int('startIndex'),
    count: int('count'),
    sortBy: str('sortBy'),
    sortOrder: str('sortOrder'),
    attributes: str('attributes'),
    excludedAttributes: str('excludedAttributes'),
    cursor: str('cursor'),
  };
}

/**
 * The JSON body, for requests that have one: 415 for a body that is not JSON (an empty body is left
 * to the route to judge), and no parser at all for the GETs and DELETEs that make up most traffic.
 */
function jsonBody(limit: number): RequestHandler {
  // `verify` keeps the bytes as received, for the event log's wire view (decoded only when recorded).
  const parse = express.json({
    type: JSON_TYPES,
    limit,
    strict: true,
    verify: (_req, res, buf) => {
      (res as Response).locals.receivedBody = buf;
    },
  });
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (length === undefined && !chunked) {
      next();
      return;
    }
    if ((chunked || Number(length) > 0) && !req.is(JSON_TYPES)) {
      next(new ScimError(415, undefined, `unsupported Content-Type "${req.get('content-type') ?? ''}"; use application/scim+json`));
      return;
    }
    parse(req, res, next);
  };
}

function ifNoneMatch(req: Request, res: Response, version: number): boolean {
  if (!notModified(req.get('if-none-match'), version)) return false;
  res.setHeader('ETag', etag(version));
  res.status(304).end();
  return true;
}

/** `attributes` / `excludedAttributes` of the query string, resolved against one resource type. */
const projectionOf = (res: Response, rt: ResourceTypeDef): Projection => {
  const p = query(res);
  return parseProjection(rt, p.attributes, p.excludedAttributes);
};

/**
 * Location and ETag come from the full resource: `attributes=userName` trims meta from the body,
 * but the headers still describe the resource (RFC 7644 §3.3, §3.14).
 */
const created = (res: Response, resource: JsonObject, projection: Projection): void => {
  const meta = resource.meta as JsonObject;
  sendScim(res, 201, project(resource, projection), { Location: String(meta.location), ETag: String(meta.version) });
};

const withEtag = (res: Response, status: number, resource: JsonObject, projection: Projection = ALL): void => {
  const meta = isObject(resource.meta) ? resource.meta : undefined;
  sendScim(res, status, project(resource, projection), meta?.version ? { ETag: String(meta.version) } : {});
};

/** A SCIM endpoint: the resource id from the URL, when the route has one, is already decoded. */
type Endpoint = (req: Request, res: Response, id: string) => void | Promise<void>;

/** Methods of one route; HEAD is answered by GET, as Express does. */
type Methods = Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | '*', Endpoint>>;

/**
 * The route table. Paths are matched case-insensitively with an optional trailing slash, like the
 * Express router this replaces; `:id` stands for any one segment. A flat table costs one lookup per
 * request where a router tries a regular expression per route, and it runs after the request steps,
 * so an unknown endpoint still needs a valid token and is still logged.
 */
function routes(d: ScimRouterDeps): Map<string, Methods> {
  const t = new Map<string, Methods>();
  // Users (RFC 7644 §3.3–§3.6).
  t.set('users', {
    GET: (req, res) => sendScim(res, 200, d.users.list(query(res), baseUrl(req), contextOf(res))),
    POST: async (req, res) => {
      const projection = projectionOf(res, d.schemas().user);
      created(res, await d.users.create(req.body, baseUrl(req), contextOf(res)), projection);
    },
  });
  t.set('users/.search', {
    POST: (req, res) => sendScim(res, 200, d.users.list(searchParams(req.body), baseUrl(req), contextOf(res))),
  });
  t.set('users/:id', {
    GET: (req, res, id) => {
      const got = d.users.get(id, baseUrl(req), { projection: projectionOf(res, d.schemas().user) });
      contextOf(res).resourceType = 'User';
      contextOf(res).resourceId = id;
      if (ifNoneMatch(req, res, got.version)) return;
      sendScim(res, 200, got.resource, { ETag: etag(got.version) });
    },
    PUT: async (req, res, id) => {
      const projection = projectionOf(res, d.schemas().user);
      withEtag(res, 200, await d.users.replace(id, req.body, baseUrl(req), contextOf(res), req.get('if-match')), projection);
    },
    PATCH: async (req, res, id) => {
      const projection = projectionOf(res, d.schemas().user);
      // The service renders the whole resource; the projection is applied here, after the ETag is read.
      const user = await d.users.patch(id, req.body, baseUrl(req), contextOf(res), req.get('if-match'));
      withEtag(res, 200, user, projection);
    },
    DELETE: (req, res, id) => {
      d.users.delete(id, contextOf(res), req.get('if-match'));
      sendScim(res, 204, null);
    },
  });

  // Groups.
  t.set('groups', {
    GET: (req, res) => sendScim(res, 200, d.groups.list(query(res), baseUrl(req))),
    POST: (req, res) => {
      const projection = projectionOf(res, GROUP_RESOURCE);
      created(res, d.groups.create(req.body, baseUrl(req), contextOf(res)), projection);
    },
  });
  t.set('groups/.search', {
    POST: (req, res) => sendScim(res, 200, d.groups.list(searchParams(req.body), baseUrl(req))),
  });
  t.set('groups/:id', {
    GET: (req, res, id) => {
      const got = d.groups.get(id, baseUrl(req), projectionOf(res, GROUP_RESOURCE));
      contextOf(res).resourceType = 'Group';
      contextOf(res).resourceId = id;
      if (ifNoneMatch(req, res, got.version)) return;
      sendScim(res, 200, got.resource, { ETag: etag(got.version) });
    },
    PUT: (req, res, id) => {
      const projection = projectionOf(res, GROUP_RESOURCE);
      withEtag(res, 200, d.groups.replace(id, req.body, baseUrl(req), contextOf(res), req.get('if-match')), projection);
    },
    PATCH: (req, res, id) => {
      const out = d.groups.patch(id, req.body, baseUrl(req), contextOf(res), query(res), req.get('if-match'));
      if (out.resource) sendScim(res, 200, out.resource, { ETag: etag(out.version) });
      else sendScim(res, 204, null, { ETag: etag(out.version) });
    },
    DELETE: (req, res, id) => {
      d.groups.delete(id, contextOf(res), req.get('if-match'));
      sendScim(res, 204, null);
    },
  });

  // Discovery (RFC 7644 §4), generated from the same attribute tables the server validates with.
  t.set('serviceproviderconfig', {
    GET: (req, res) => {
      const tokenEndpoint = `${req.protocol}://${req.get('host') ?? 'localhost'}${OAUTH_BASE_PATH}/token`;
      sendScim(res, 200, serviceProviderConfig(baseUrl(req), d.paging, { oauth: d.oauthEnabled(), tokenEndpoint }, d.bodyLimitBytes));
    },
  });
  t.set('resourcetypes', {
    GET: (req, res) => {
      const all = resourceTypes(baseUrl(req), d.schemas());
      sendScim(res, 200, listResponse(all, all.length, 1));
    },
  });
  t.set('resourcetypes/:id', {
    GET: (req, res, id) => {
      const rt = d
        .schemas()
        .resourceTypes()
        .find((x) => x.name.toLowerCase() === id.toLowerCase());
      if (!rt) throw notFound(`ResourceType "${id}" not found`);
      sendScim(res, 200, resourceTypeResource(rt, baseUrl(req)));
    },
  });
  t.set('schemas', {
    GET: (req, res) => {
      const all = schemas(baseUrl(req), d.schemas());
      sendScim(res, 200, listResponse(all, all.length, 1));
    },
  });
  t.set('schemas/:id', {
    GET: (req, res, id) => {
      const s = d
        .schemas()
        .allSchemas()
        .find((x) => x.id.toLowerCase() === id.toLowerCase());
      if (!s) throw notFound(`Schema "${id}" not found`);
      sendScim(res, 200, schemaResource(s, baseUrl(req)));
    },
  });

  // Root search across resource types (RFC 7644 §3.4.3).
  t.set('.search', { POST: (req, res) => sendScim(res, 200, rootSearch(searchParams(req.body), baseUrl(req), d)) });

  t.set('bulk', {
    '*': () => {
      throw new ScimError(501, undefined, 'bulk operations are not supported (see /ServiceProviderConfig)');
    },
  });
  t.set('me', {
    '*': () => {
      throw new ScimError(501, undefined, '/Me is not supported: provisioning tokens do not represent a user');
    },
  });
  return t;
}

const NAMED_TYPES: Record<string, 'User' | 'Group' | undefined> = { users: 'User', groups: 'Group' };

/**
 * A request on /Users/{id} or /Groups/{id} names its resource before anything can fail, so a
 * rejected one (a 400 from the PATCH parser, a 404, a 412) still lands on that resource's timeline.
 */
function nameResource(parts: ScimPathParts | undefined, res: Response): void {
  const type = parts?.sub !== undefined ? NAMED_TYPES[parts.type] : undefined;
  const ctx = res.locals.ctx as RequestContext | undefined;
  if (!parts?.sub || !type || !ctx || parts.sub.startsWith('.')) return;
  let id: string;
  try {
    id = decodeURIComponent(parts.sub);
  } catch {
    return; // broken percent-encoding: the route answers 400 and the request names no resource
  }
  // A credential pasted where an id belongs is not a resource: it never reaches the event row.
  if (scrubCredentials(id) !== id) return;
  ctx.resourceType = type;
  ctx.resourceId = id;
}

/** Router-relative path → route key and id: "/Users/abc/" → ["users/:id", "abc"]. */
function match(table: Map<string, Methods>, parts: ScimPathParts | undefined): { methods: Methods; id: string; type: string } | undefined {
  if (!parts) return undefined;
  if (parts.sub === undefined) {
    const methods = table.get(parts.type);
    return methods && { methods, id: '', type: parts.type };
  }
  // A fixed second segment (".search") wins over ":id", as route order did before.
  const fixed = table.get(`${parts.type}/${parts.sub.toLowerCase()}`);
  if (fixed) return { methods: fixed, id: '', type: parts.type };
  const methods = table.get(`${parts.type}/:id`);
  // A broken percent-encoding throws URIError, which the error handler answers with a 400.
  return methods && { methods, id: decodeURIComponent(parts.sub), type: parts.type };
}

/**
 * The SCIM API as one handler: the request steps (event log, guard, body, dialect), then the route
 * table, with every failure, thrown or rejected, answered by the §3.12 error handler.
 */
export function scimRouter(d: ScimRouterDeps): RequestHandler {
  const steps = chain(
    requestLog(d.recorder, { sensitive: d.sensitive, bodyCap: d.bodyCapBytes, now: d.now }, d.log),
    requestGuard(d.guard),
    jsonBody(d.bodyLimitBytes),
    dialect(() => d.schemas()),
  );
  const table = routes(d);
  const onError = scimErrorHandler(d.log);
  return (req, res, next) => {
    const fail = (err: unknown) => onError(err, req, res, next);
    steps(req, res, (err?: unknown) => {
      // One reading of the path serves both the event row's resource and the route lookup.
      const parts = splitScimPath(req.path);
      nameResource(parts, res);
      if (err !== undefined && err !== null) {
        fail(err);
        return;
      }
      try {
        const found = match(table, parts);
        const method = req.method === 'HEAD' ? 'GET' : (req.method as keyof Methods);
        const endpoint = found && (found.methods[method] ?? found.methods['*']);
        if (!found || !endpoint) {
          throw new ScimError(404, undefined, `no SCIM endpoint at ${req.method} ${req.originalUrl.split('?')[0]}`);
        }
        const out = endpoint(req, res, found.id);
        if (out instanceof Promise) out.catch(fail);
      } catch (e) {
        fail(e);
      }
    });
  };
}

/**
 * Root search: Users then Groups as one sequence. A filter naming an attribute only one type has
 * (userName) simply matches nothing of the other type, as a union over types would.
 */
function rootSearch(search: ListParams, base: string, d: ScimRouterDeps): JsonObject {
  // A cursor is bound to one resource type's keyset; the root search pages by index only.
  if (search.cursor !== undefined)
    throw badRequest('invalidCursor', 'cursor paging is offered on /Users and /Groups, not on a root search');
  const [forUsers, forGroups] = spanningProjection(search, [d.schemas().user, d.schemas().group]);
  const p = search;
  const safe = (run: (q: ListParams) => JsonObject, q: ListParams): JsonObject | null => {
    try {
      return run(q);
    } catch (e) {
      if (e instanceof UnknownAttributeError) return null;
      throw e;
    }
  };
  const { startIndex: start, count } = pageOf(p, d.paging);
  const usersAll = safe((q) => d.users.list(q, base), { ...p, ...forUsers, startIndex: 1, count: 0 });
  const groupsAll = safe((q) => d.groups.list(q, base), { ...p, ...forGroups, startIndex: 1, count: 0 });
  if (!usersAll && !groupsAll) {
    throw badRequest('invalidFilter', `the filter names attributes that no resource type has`);
  }
  const userTotal = Number(usersAll?.totalResults ?? 0);
  const groupTotal = Number(groupsAll?.totalResults ?? 0);
  const resources: JsonObject[] = [];
  if (usersAll && start <= userTotal && count > 0) {
    const page = d.users.list({ ...p, ...forUsers, startIndex: start, count }, base);
    resources.push(...(page.Resources as JsonObject[]));
  }
  const remaining = count - resources.length;
  if (groupsAll && remaining > 0) {
    const gStart = Math.max(1, start - userTotal);
    const page = d.groups.list({ ...p, ...forGroups, startIndex: gStart, count: remaining }, base);
    resources.push(...(page.Resources as JsonObject[]));
  }
  return listResponse(resources, userTotal + groupTotal, start);
}

/**
 * A root search spans resource types (RFC 7644 §3.4.3), so `attributes`/`excludedAttributes` may
 * name an attribute any of them has (`name` of Users); each type gets the items it knows. An item no
 * type knows is a 400. A type that knows none of the `attributes` returns its always-returned ones.
 */
function spanningProjection(p: ListParams, types: ResourceTypeDef[]): Pick<ListParams, 'attributes' | 'excludedAttributes'>[] {
  const param = p.attributes?.trim() ? 'attributes' : p.excludedAttributes?.trim() ? 'excludedAttributes' : undefined;
  if (!param) return types.map(() => ({}));
  const items = splitAttributeList(p[param] ?? '');
  const known = types.map((rt) => items.filter((item) => knowsAttribute(rt, item)));
  const unknown = items.find((item) => !known.some((k) => k.includes(item)));
  if (unknown !== undefined) throw badRequest('invalidValue', `${param} names an attribute no resource type has: "${unknown}"`);
  return known.map((k) => {
    if (param === 'attributes') return { attributes: k.length ? k.join(',') : 'id', excludedAttributes: undefined };
    return { attributes: undefined, excludedAttributes: k.length ? k.join(',') : undefined };
  });
}
