import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { dialect } from '../dialect/middleware.js';
import type { GroupsService } from '../directory/groups.js';
import { type ListParams, pageOf } from '../directory/query.js';
import type { UsersService } from '../directory/users.js';
import { etag, notModified } from '../directory/versions.js';
import type { EventRecorder } from '../events/recorder.js';
import { badRequest, notFound, ScimError } from '../scim/errors.js';
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
import { ALL, type Projection, parseProjection, project } from '../scim/projection.js';
import { ALL_SCHEMAS, GROUP_RESOURCE, RESOURCE_TYPES, type ResourceTypeDef, USER_RESOURCE } from '../scim/schemas.js';
import { type GuardDeps, requestGuard } from './auth.js';
import { chain } from './chain.js';
import { scimErrorHandler } from './errors.js';
import { contextOf, requestLog } from './request-log.js';
import { sendScim } from './send.js';

export const SCIM_BASE_PATH = '/api/scim/v2';

export interface ScimRouterDeps {
  users: UsersService;
  groups: GroupsService;
  guard: GuardDeps;
  recorder: EventRecorder;
  paging: Paging;
  bodyLimitBytes: number;
  sensitive: ReadonlySet<string>;
  bodyCapBytes: number;
  now: () => Date;
  log: (msg: string, err: unknown) => void;
}

const JSON_TYPES = ['application/json', 'application/scim+json'];

/** Resource locations use the host the client called, so Okta and Entra see their own URL. */
const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

function query(req: Request): ListParams {
  const q = req.query as Record<string, unknown>;
  const s = (k: string): string | undefined => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return {
    filter: s('filter'),
    startIndex: s('startIndex'),
    count: s('count'),
    sortBy: s('sortBy'),
    sortOrder: s('sortOrder'),
    attributes: s('attributes'),
    excludedAttributes: s('excludedAttributes'),
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
  return {
    filter: str('filter'),
    startIndex: str('startIndex'),
    count: str('count'),
    sortBy: str('sortBy'),
    sortOrder: str('sortOrder'),
    attributes: str('attributes'),
    excludedAttributes: str('excludedAttributes'),
  };
}

/**
 * The JSON body, for requests that have one: 415 for a body that is not JSON (an empty body is left
 * to the route to judge), and no parser at all for the GETs and DELETEs that make up most traffic.
 */
function jsonBody(limit: number): RequestHandler {
  const parse = express.json({ type: JSON_TYPES, limit, strict: true });
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
const projectionOf = (req: Request, rt: ResourceTypeDef): Projection => {
  const p = query(req);
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

export function scimRouter(d: ScimRouterDeps): Router {
  const r = Router({ caseSensitive: false, strict: false });
  r.use(
    chain(
      requestLog(d.recorder, { sensitive: d.sensitive, bodyCap: d.bodyCapBytes, now: d.now }, d.log),
      requestGuard(d.guard),
      jsonBody(d.bodyLimitBytes),
      dialect(),
    ),
  );

  // Users (RFC 7644 §3.3–§3.6).
  r.get('/Users', (req, res) => sendScim(res, 200, d.users.list(query(req), baseUrl(req), contextOf(res))));
  r.post('/Users/.search', (req, res) => sendScim(res, 200, d.users.list(searchParams(req.body), baseUrl(req), contextOf(res))));
  r.post('/Users', async (req, res) => {
    const projection = projectionOf(req, USER_RESOURCE);
    created(res, await d.users.create(req.body, baseUrl(req), contextOf(res)), projection);
  });
  r.get('/Users/:id', (req, res) => {
    const got = d.users.get(req.params.id, baseUrl(req), { projection: projectionOf(req, USER_RESOURCE) });
    contextOf(res).resourceType = 'User';
    contextOf(res).resourceId = req.params.id;
    if (ifNoneMatch(req, res, got.version)) return;
    sendScim(res, 200, got.resource, { ETag: etag(got.version) });
  });
  r.put('/Users/:id', async (req, res) => {
    const projection = projectionOf(req, USER_RESOURCE);
    withEtag(res, 200, await d.users.replace(req.params.id, req.body, baseUrl(req), contextOf(res), req.get('if-match')), projection);
  });
  r.patch('/Users/:id', async (req, res) => {
    const projection = projectionOf(req, USER_RESOURCE);
    // The service renders the whole resource; the projection is applied here, after the ETag is read.
    const user = await d.users.patch(req.params.id, req.body, baseUrl(req), contextOf(res), req.get('if-match'));
    withEtag(res, 200, user, projection);
  });
  r.delete('/Users/:id', (req, res) => {
    d.users.delete(req.params.id, contextOf(res), req.get('if-match'));
    sendScim(res, 204, null);
  });

  // Groups.
  r.get('/Groups', (req, res) => sendScim(res, 200, d.groups.list(query(req), baseUrl(req))));
  r.post('/Groups/.search', (req, res) => sendScim(res, 200, d.groups.list(searchParams(req.body), baseUrl(req))));
  r.post('/Groups', (req, res) => {
    const projection = projectionOf(req, GROUP_RESOURCE);
    created(res, d.groups.create(req.body, baseUrl(req), contextOf(res)), projection);
  });
  r.get('/Groups/:id', (req, res) => {
    const got = d.groups.get(req.params.id, baseUrl(req), projectionOf(req, GROUP_RESOURCE));
    contextOf(res).resourceType = 'Group';
    contextOf(res).resourceId = req.params.id;
    if (ifNoneMatch(req, res, got.version)) return;
    sendScim(res, 200, got.resource, { ETag: etag(got.version) });
  });
  r.put('/Groups/:id', (req, res) => {
    const projection = projectionOf(req, GROUP_RESOURCE);
    withEtag(res, 200, d.groups.replace(req.params.id, req.body, baseUrl(req), contextOf(res), req.get('if-match')), projection);
  });
  r.patch('/Groups/:id', (req, res) => {
    const out = d.groups.patch(req.params.id, req.body, baseUrl(req), contextOf(res), query(req), req.get('if-match'));
    if (out.resource) sendScim(res, 200, out.resource, { ETag: etag(out.version) });
    else sendScim(res, 204, null, { ETag: etag(out.version) });
  });
  r.delete('/Groups/:id', (req, res) => {
    d.groups.delete(req.params.id, contextOf(res), req.get('if-match'));
    sendScim(res, 204, null);
  });

  // Discovery (RFC 7644 §4) — after the hot Users/Groups routes, which the router tries first, generated from the same attribute tables the server validates with.
  r.get('/ServiceProviderConfig', (req, res) => sendScim(res, 200, serviceProviderConfig(baseUrl(req), d.paging)));
  r.get('/ResourceTypes', (req, res) => {
    const all = resourceTypes(baseUrl(req));
    sendScim(res, 200, listResponse(all, all.length, 1));
  });
  r.get('/ResourceTypes/:id', (req, res) => {
    const rt = RESOURCE_TYPES.find((t) => t.name.toLowerCase() === req.params.id.toLowerCase());
    if (!rt) throw notFound(`ResourceType "${req.params.id}" not found`);
    sendScim(res, 200, resourceTypeResource(rt, baseUrl(req)));
  });
  r.get('/Schemas', (req, res) => {
    const all = schemas(baseUrl(req));
    sendScim(res, 200, listResponse(all, all.length, 1));
  });
  r.get('/Schemas/:id', (req, res) => {
    const s = ALL_SCHEMAS.find((x) => x.id.toLowerCase() === req.params.id.toLowerCase());
    if (!s) throw notFound(`Schema "${req.params.id}" not found`);
    sendScim(res, 200, schemaResource(s, baseUrl(req)));
  });

  // Root search across resource types (RFC 7644 §3.4.3).
  r.post('/.search', (req, res) => {
    const p = searchParams(req.body);
    const base = baseUrl(req);
    sendScim(res, 200, rootSearch(p, base, d));
  });

  r.all('/Bulk', () => {
    throw new ScimError(501, undefined, 'bulk operations are not supported (see /ServiceProviderConfig)');
  });
  r.all('/Me', () => {
    throw new ScimError(501, undefined, '/Me is not supported: provisioning tokens do not represent a user');
  });
  r.all('/{*splat}', (req) => {
    throw new ScimError(404, undefined, `no SCIM endpoint at ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  r.use(scimErrorHandler(d.log));
  return r;
}

/**
 * Root search: Users then Groups as one sequence. A filter naming an attribute only one type has
 * (userName) simply matches nothing of the other type, as a union over types would.
 */
function rootSearch(p: ListParams, base: string, d: ScimRouterDeps): JsonObject {
  const safe = (run: (q: ListParams) => JsonObject, q: ListParams): JsonObject | null => {
    try {
      return run(q);
    } catch (e) {
      if (e instanceof ScimError && e.scimType === 'invalidFilter' && /unknown attribute/.test(e.detail)) return null;
      throw e;
    }
  };
  const { startIndex: start, count } = pageOf(p, d.paging);
  const usersAll = safe((q) => d.users.list(q, base), { ...p, startIndex: 1, count: 0 });
  const groupsAll = safe((q) => d.groups.list(q, base), { ...p, startIndex: 1, count: 0 });
  if (!usersAll && !groupsAll) {
    throw badRequest('invalidFilter', `the filter names attributes that no resource type has`);
  }
  const userTotal = Number(usersAll?.totalResults ?? 0);
  const groupTotal = Number(groupsAll?.totalResults ?? 0);
  const resources: JsonObject[] = [];
  if (usersAll && start <= userTotal && count > 0) {
    const page = d.users.list({ ...p, startIndex: start, count }, base);
    resources.push(...(page.Resources as JsonObject[]));
  }
  const remaining = count - resources.length;
  if (groupsAll && remaining > 0) {
    const gStart = Math.max(1, start - userTotal);
    const page = d.groups.list({ ...p, startIndex: gStart, count: remaining }, base);
    resources.push(...(page.Resources as JsonObject[]));
  }
  return listResponse(resources, userTotal + groupTotal, start);
}
