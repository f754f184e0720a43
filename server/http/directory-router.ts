import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { AppTokenService } from '../auth/app-tokens.js';
import type { FailureThrottle, TokenRateLimiter } from '../auth/rate-limit.js';
import { DownstreamError, type DownstreamReadService } from '../delivery/read-api.js';

export const DIRECTORY_BASE_PATH = '/api/directory/v1';

export interface DirectoryRouterDeps {
  appTokens: AppTokenService;
  /** The node's one failure budget per source, shared with the SCIM guard and the OAuth token endpoint. */
  failures: FailureThrottle;
  /** Per-app-token limit: the SCIM tokens' kind of token bucket, its own instance so ids never mix. */
  limiter: TokenRateLimiter;
  read: DownstreamReadService;
  log: (msg: string, err: unknown) => void;
}

const str = (req: Request, key: string): string | undefined => {
  const v = req.query[key];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Only app tokens open this surface (RFC 6750 bearer). A SCIM token, an OAuth access token or a
 * console session never does, and an app token never opens the SCIM API or the console.
 * Like the SCIM guard: a failure counts against the source's budget, shared across the node's
 * credential surfaces so guessing cannot move to another door, and a source over it gets 429 with
 * Retry-After at once (RFC 6585 §4), never a held connection; a valid token is then held to its
 * own rate. Synchronous, like the SCIM guard.
 */
function appTokenGuard(tokens: AppTokenService, failures: FailureThrottle, limiter: TokenRateLimiter): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const r = tokens.verify(m?.[1]);
    if (!r.ok) {
      // `req.ip` is the validated client address (scim-app.ts), the key the SCIM guard uses too.
      const verdict = failures.fail(req.ip ?? 'unknown');
      if (verdict.over) {
        res.setHeader('Retry-After', String(verdict.retryAfterSec));
        next(
          new DownstreamError(
            429,
            'too_many_requests',
            `too many failed authentication attempts from this source; retry after ${verdict.retryAfterSec} s`,
          ),
        );
        return;
      }
      next(
        new DownstreamError(
          401,
          'unauthorized',
          header ? 'the bearer token is not a valid app token' : 'send "Authorization: Bearer <app token>"',
        ),
      );
      return;
    }
    const limit = limiter.consume(r.id);
    if (!limit.ok) {
      res.setHeader('Retry-After', String(limit.retryAfterSec));
      next(new DownstreamError(429, 'rate_limited', `rate limit exceeded for this app token; retry after ${limit.retryAfterSec} s`));
      return;
    }
    next();
  };
}

/** The read API and change feed for downstream applications (issue #14 §2). Routes hold no logic. */
export function directoryRouter(d: DirectoryRouterDeps): express.Router {
  const r = express.Router();
  r.use(appTokenGuard(d.appTokens, d.failures, d.limiter));
  r.get('/events', (req, res) => {
    res.json(d.read.events(str(req, 'after'), str(req, 'limit')));
  });
  r.get('/events/cursor', (_req, res) => {
    res.json(d.read.position());
  });
  r.get('/users', (req, res) => {
    res.json(d.read.users({ limit: str(req, 'limit'), cursor: str(req, 'cursor'), role: str(req, 'role'), active: str(req, 'active') }));
  });
  r.get('/users/:id', (req, res) => {
    res.json(d.read.user(req.params.id));
  });
  r.get('/groups', (req, res) => {
    res.json(d.read.groups({ limit: str(req, 'limit'), cursor: str(req, 'cursor') }));
  });
  r.get('/groups/:id', (req, res) => {
    res.json(d.read.group(req.params.id));
  });
  r.get('/groups/:id/members', (req, res) => {
    res.json(d.read.members(req.params.id, { limit: str(req, 'limit'), cursor: str(req, 'cursor') }));
  });
  r.use((_req, _res, next) => next(new DownstreamError(404, 'not_found', 'no such endpoint')));
  const errors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (err instanceof DownstreamError) {
      if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="SCIM Desk directory"');
      res.status(err.status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    d.log('unhandled error in directory API request', err);
    res.status(500).json({ error: { code: 'internal', message: 'internal server error' } });
  };
  r.use(errors);
  return r;
}
