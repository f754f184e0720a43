import type { RequestHandler } from 'express';
import type { TokenService } from '../auth/tokens.js';
import { ScimError } from '../scim/errors.js';
import { contextOf } from './request-log.js';

const MESSAGES = {
  missing: 'authentication required: send "Authorization: Bearer <token>"',
  malformed: 'the bearer token is not valid',
  unknown: 'the bearer token is not valid',
  revoked: 'the bearer token is not valid',
  expired: 'the bearer token is not valid',
} as const;

/**
 * Bearer authentication for the SCIM surface (RFC 6750). Every failure reads the same to the client
 * so a caller cannot learn whether a token prefix exists; the event log keeps the real reason.
 */
export function bearerAuth(tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const result = tokens.verify(m?.[1]);
    const ctx = contextOf(res);
    if (!result.ok) {
      if (header) ctx.notes.push(`authentication failed: ${result.reason} token`);
      next(new ScimError(401, undefined, header ? MESSAGES[result.reason] : MESSAGES.missing));
      return;
    }
    ctx.tokenId = result.token.id;
    next();
  };
}
