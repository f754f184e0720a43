import type { NextFunction, RequestHandler, Response } from 'express';
import type { FailureThrottle, TokenRateLimiter } from '../auth/rate-limit.js';
import { TOKEN_PREFIX, type TokenService } from '../auth/tokens.js';
import type { AlertsService } from '../events/alerts.js';
import type { RequestContext } from '../events/request-context.js';
import { type OAuthService, principalOf } from '../oauth/oauth.js';
import { ScimError } from '../scim/errors.js';
import { contextOf } from './request-log.js';

export interface GuardDeps {
  tokens: TokenService;
  limiter: TokenRateLimiter;
  failures: FailureThrottle;
  alerts: AlertsService;
  /** OAuth access tokens from the token endpoint: any bearer that is not a `scimdesk_` token. */
  oauth: OAuthService;
}

/** Who a bearer belongs to: a provisioning token, or an OAuth client as `oauth:<client_id>`. */
type Verified =
  | { ok: true; id: string; label: string; provisioningToken: boolean; firstUse: boolean; simulated: boolean }
  | { ok: false; reason: string; id?: string };

function verifyBearer(d: GuardDeps, presented: string | undefined, ip: string | null): Verified {
  if (presented && !presented.startsWith(TOKEN_PREFIX)) {
    const r = d.oauth.verify(presented);
    if (!r.ok) return { ok: false, reason: r.reason, id: r.clientId === undefined ? undefined : principalOf(r.clientId) };
    return { ok: true, id: principalOf(r.clientId), label: r.name, provisioningToken: false, firstUse: false, simulated: false };
  }
  const r = d.tokens.verify(presented, ip);
  if (!r.ok) return { ok: false, reason: r.reason, id: r.tokenId };
  return {
    ok: true,
    id: r.token.id,
    label: r.token.label,
    provisioningToken: true,
    firstUse: r.token.lastUsedAt === null,
    simulated: r.token.simulated || r.selfTest,
  };
}

const MISSING = 'authentication required: send "Authorization: Bearer <token>"';
const INVALID = 'the bearer token is not valid';

/**
 * The request guard of the SCIM surface, in order: bearer token (RFC 6750) with a constant-time
 * check (a provisioning token, or an OAuth access token keyed by its client), source allowlist,
 * per-token rate limit, then the new-address alarm. Every failure reads the same to the client, so
 * a caller cannot learn whether a token prefix exists; the event log keeps the real reason. A source
 * over its failure budget gets 429 with Retry-After at once (RFC 6585 §4), never a held connection.
 * The whole guard is synchronous.
 */
export function requestGuard(d: GuardDeps): RequestHandler {
  const refuse = (ctx: RequestContext, ip: string | null, header: string | undefined, res: Response, next: NextFunction) => {
    // The request log stores rejected requests aggregated per source, the throttle's 429s too.
    res.locals.authRejected = true;
    const verdict = d.failures.fail(ip ?? 'unknown');
    if (!verdict.over) return next(new ScimError(401, undefined, header ? INVALID : MISSING));
    ctx.notes.push('authentication failure budget of this source exceeded: answered 429');
    res.setHeader('Retry-After', String(verdict.retryAfterSec));
    next(new ScimError(429, undefined, `too many failed authentication attempts from this source; retry after ${verdict.retryAfterSec} s`));
  };
  return (req, res, next) => {
    const ctx = contextOf(res);
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const ip = ctx.sourceIp;
    const result = verifyBearer(d, m?.[1], ip);
    if (!result.ok) {
      if (result.id) ctx.tokenId = result.id;
      if (header) ctx.notes.push(`authentication failed: ${result.reason}`);
      refuse(ctx, ip, header, res, next);
      return;
    }
    ctx.tokenId = result.id;
    ctx.simulated = result.simulated;
    const limit = d.limiter.consume(result.id);
    if (!limit.ok) {
      if (result.provisioningToken) d.tokens.countRateLimited(result.id);
      res.setHeader('Retry-After', String(limit.retryAfterSec));
      next(new ScimError(429, undefined, `rate limit exceeded for this token; retry after ${limit.retryAfterSec} s`));
      return;
    }
    // The new-address alarm is kept per provisioning token (token_ips); OAuth clients rotate secrets instead.
    if (result.provisioningToken && !result.simulated) d.alerts.sourceSeen(result.id, ip, result.label, result.firstUse);
    next();
  };
}
