import type { RequestHandler } from 'express';
import type { FailureThrottle, TokenRateLimiter } from '../auth/rate-limit.js';
import type { TokenService } from '../auth/tokens.js';
import type { AlertsService } from '../events/alerts.js';
import { ScimError } from '../scim/errors.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import { contextOf } from './request-log.js';

export interface GuardDeps {
  tokens: TokenService;
  tokensRepo: TokensRepo;
  limiter: TokenRateLimiter;
  failures: FailureThrottle;
  alerts: AlertsService;
}

const MISSING = 'authentication required: send "Authorization: Bearer <token>"';
const INVALID = 'the bearer token is not valid';

/**
 * The request guard of the SCIM surface, in order: bearer token (RFC 6750) with a constant-time
 * check, source allowlist, per-token rate limit, then the new-address alarm. Every failure reads the
 * same to the client, so a caller cannot learn whether a token prefix exists; the event log keeps
 * the real reason, and repeated failures from one source are answered ever more slowly.
 */
export function requestGuard(d: GuardDeps): RequestHandler {
  return async (req, res, next) => {
    const ctx = contextOf(res);
    const header = req.get('authorization');
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const ip = req.ip ?? null;
    const result = d.tokens.verify(m?.[1], ip);
    if (!result.ok) {
      if (result.tokenId) ctx.tokenId = result.tokenId;
      if (header) ctx.notes.push(`authentication failed: ${result.reason}`);
      const delay = await d.failures.delayFor(ip ?? 'unknown');
      if (delay > 0) {
        ctx.notes.push(`repeated authentication failures from this source: answered after ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
      next(new ScimError(401, undefined, header ? INVALID : MISSING));
      return;
    }
    const token = result.token;
    ctx.tokenId = token.id;
    const limit = await d.limiter.consume(token.id);
    if (!limit.ok) {
      d.tokensRepo.countRateLimited(token.id);
      res.setHeader('Retry-After', String(limit.retryAfterSec));
      next(new ScimError(429, undefined, `rate limit exceeded for this token; retry after ${limit.retryAfterSec} s`));
      return;
    }
    d.alerts.sourceSeen(token.id, ip, token.label, token.lastUsedAt === null);
    next();
  };
}
