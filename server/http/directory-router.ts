import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { AppTokenService } from '../auth/app-tokens.js';
import { DownstreamError, type DownstreamReadService } from '../delivery/read-api.js';

export const DIRECTORY_BASE_PATH = '/api/directory/v1';

export interface DirectoryRouterDeps {
  appTokens: AppTokenService;
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
 */
function appTokenGuard(tokens: AppTokenService): RequestHandler {
  return (req, _res, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const r = tokens.verify(m?.[1]);
    if (!r.ok) {
      next(
        new DownstreamError(
          401,
          'unauthorized',
          req.headers.authorization ? 'the bearer token is not a valid app token' : 'send "Authorization: Bearer <app token>"',
        ),
      );
      return;
    }
    next();
  };
}

/** The read API and change feed for downstream applications (issue #14 §2). Routes hold no logic. */
export function directoryRouter(d: DirectoryRouterDeps): express.Router {
  const r = express.Router();
  r.use(appTokenGuard(d.appTokens));
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
