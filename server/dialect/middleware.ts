/**
 * The dialect layer as a request handler for the SCIM router, placed after JSON parsing and before
 * the routes. It is typed structurally so this folder needs no HTTP framework import; any
 * express-compatible request and response fit.
 */
import type { RequestContext } from '../events/request-context.js';
import { isObject } from '../scim/json.js';
import { type DialectTables, hasValuePathProjection, normalizeRequest, routeOf } from './normalize.js';

interface RequestLike {
  method: string;
  /** Path relative to the router's mount point, e.g. "/Users/123". */
  path: string;
  body?: unknown;
  query: unknown;
}

interface ResponseLike {
  locals: Record<string, unknown>;
}

/**
 * Leaves the request's query, corrected, in `res.locals.query` for the routes: Express 5 parses the
 * URL again on every read of `req.query`, so the SCIM routes read this one parse instead.
 */
export function dialect(tables?: () => DialectTables): (req: RequestLike, res: ResponseLike, next: () => void) => void {
  return (req, res, next) => {
    const parsed = req.query;
    const query = isObject(parsed) ? parsed : {};
    res.locals.query = query;
    // A read or a delete has nothing to correct but a list filter or a value path in `attributes`:
    // most traffic ends here.
    const bodiless = req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE';
    if (bodiless && typeof query.filter !== 'string' && !hasValuePathProjection(query)) {
      next();
      return;
    }
    const { route, id } = routeOf(req.path);
    if (route === 'other') {
      next();
      return;
    }
    const ctx = res.locals.ctx as RequestContext | undefined;
    const notes: string[] = [];
    const out = normalizeRequest({ method: req.method, route, id, body: req.body, query }, notes, tables?.());
    res.locals.query = out.query;
    if (notes.length > 0) {
      // The event log stores the corrected body, redacted structurally by the request logger; the
      // notes say what was corrected. (Handing the logger the raw text instead would lose the
      // structural redaction of {"path":"password","value":…} operations.)
      req.body = out.body;
      ctx?.notes.push(...notes);
    }
    next();
  };
}
