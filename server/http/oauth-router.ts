import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from 'express';
import type { EventRecorder } from '../events/recorder.js';
import type { ClientAuthHeader, TokenAnswer, TokenEndpoint } from '../oauth/token-endpoint.js';
import { undecodableBody } from './errors.js';
import { contextOf, requestLog } from './request-log.js';

/** The token endpoint lives beside the SCIM API, outside its bearer guard: it is how IdPs get a bearer. */
export const OAUTH_BASE_PATH = '/api/scim/oauth';
export const OAUTH_TOKEN_PATH = `${OAUTH_BASE_PATH}/token`;

export interface OAuthRouterDeps {
  endpoint: TokenEndpoint;
  recorder: EventRecorder;
  /** The SCIM surface's sensitive names; the router adds the OAuth secrets to them. */
  sensitive: ReadonlySet<string>;
  bodyCapBytes: number;
  now: () => Date;
  log: (msg: string, err: unknown) => void;
}

/** Form decoding of a Basic user-id or password (RFC 6749 §2.3.1 and Appendix B); raw when not encoded. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return s;
  }
}

function readAuthHeader(header: string | undefined): ClientAuthHeader {
  if (header === undefined) return { kind: 'none' };
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m?.[1]) return /^Basic\b/i.test(header) ? { kind: 'bad-basic' } : { kind: 'other-scheme' };
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'bad-basic' };
  return { kind: 'basic', id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** RFC 6749 §5.1: JSON, never cached, on success and on error alike. */
function send(res: Response, a: Pick<TokenAnswer, 'status' | 'body' | 'headers'>): void {
  const text = JSON.stringify(a.body);
  res.locals.responseBody = text;
  res.status(a.status);
  for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.end(text);
}

/**
 * A client that puts its secret in the URL (RFC 6749 §3.2 forbids it) must not get it into the event
 * log's path column: the query is cut from the recorded URL before the request log reads it.
 */
const stripQuery: RequestHandler = (req, res, next) => {
  const q = req.originalUrl.indexOf('?');
  if (q >= 0) {
    res.locals.oauthQuery = true;
    req.originalUrl = `${req.originalUrl.slice(0, q)}?[REDACTED]`;
  }
  next();
};

export function oauthRouter(d: OAuthRouterDeps): Router {
  const r = Router({ caseSensitive: false, strict: false });
  // client_secret in a form body and access_token in a response never reach storage.
  const sensitive = new Set([...d.sensitive, 'client_secret', 'access_token']);
  r.use(stripQuery);
  r.use(requestLog(d.recorder, { sensitive, bodyCap: d.bodyCapBytes, now: d.now }, d.log));
  r.post(
    '/token',
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20, type: 'application/x-www-form-urlencoded' }),
    async (req: Request, res: Response) => {
      const isForm = typeof req.is('application/x-www-form-urlencoded') === 'string';
      const answer = await d.endpoint.handle({
        header: readAuthHeader(req.get('authorization')),
        form: isForm && typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : undefined,
        hasQuery: res.locals.oauthQuery === true,
        source: req.ip ?? 'unknown',
      });
      const ctx = contextOf(res);
      ctx.tokenId = answer.principal;
      if (answer.note) ctx.notes.push(answer.note);
      send(res, answer);
    },
  );
  // RFC 6749 §3.2: the token endpoint takes POST only.
  r.all('/token', (_req, res) => {
    send(res, {
      status: 405,
      body: { error: 'invalid_request', error_description: 'the token endpoint accepts POST only' },
      headers: { Allow: 'POST' },
    });
  });
  r.all('/{*splat}', (_req, res) => {
    send(res, {
      status: 404,
      body: { error: 'invalid_request', error_description: 'not found; the token endpoint is POST /token' },
      headers: {},
    });
  });
  const errors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    // body-parser: too large, too many parameters, bad charset, aborted… (typed), or a gzip, deflate or
    // brotli body that does not decode. RFC 6749 §5.2: invalid_request.
    if (typeof type === 'string' || undecodableBody(err, req.get('content-encoding'))) {
      send(res, { status: 400, body: { error: 'invalid_request', error_description: 'the request body could not be read' }, headers: {} });
      return;
    }
    d.log('unhandled error in an OAuth token request', err);
    send(res, { status: 500, body: { error: 'server_error', error_description: 'internal server error' }, headers: {} });
  };
  r.use(errors);
  return r;
}
