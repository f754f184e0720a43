import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { FailureThrottle } from '../auth/rate-limit.js';
import type { Settings } from '../settings/settings.js';
import { OAUTH_SCOPE, type OAuthService, principalOf } from './oauth.js';

/** How the request presented client credentials, as the HTTP layer read the Authorization header. */
export type ClientAuthHeader =
  | { kind: 'none' }
  | { kind: 'basic'; id: string; secret: string }
  /** Basic, but not base64 of "id:secret". */
  | { kind: 'bad-basic' }
  /** Some other scheme (Bearer, Digest…), which this endpoint does not accept. */
  | { kind: 'other-scheme' };

export interface TokenRequest {
  header: ClientAuthHeader;
  /** The parsed form body; undefined when the body was not application/x-www-form-urlencoded. */
  form: Record<string, unknown> | undefined;
  /** Parameters arrived in the query string, which RFC 6749 §3.2 does not allow. */
  hasQuery: boolean;
  source: string;
}

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable';

export interface TokenAnswer {
  status: number;
  body: Record<string, string | number>;
  headers: Record<string, string>;
  /** `oauth:<client_id>` when the client is known, for the event log and the rate limiter. */
  principal: string | null;
  /** What the event log should say about the request (never a secret). */
  note: string | null;
}

/** RFC 6749 §5.2 says 401 only when the client used the Authorization header; HTTP needs a challenge on every 401. */
const CHALLENGE = 'Basic realm="SCIM Desk", charset="UTF-8"';

const fail = (status: number, error: OAuthErrorCode, description: string, extra: Partial<TokenAnswer> = {}): TokenAnswer => ({
  status,
  body: { error, error_description: description },
  headers: status === 401 ? { 'WWW-Authenticate': CHALLENGE } : {},
  principal: null,
  note: null,
  ...extra,
});

const PARAMS = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;
type Param = (typeof PARAMS)[number];

/**
 * Reads the known parameters. RFC 6749 §3.2: a parameter sent without a value is treated as
 * omitted, and a parameter must not be repeated (qs turns a repeat into an array).
 */
function readForm(form: Record<string, unknown>): { values: Partial<Record<Param, string>> } | { repeated: string } {
  const values: Partial<Record<Param, string>> = {};
  for (const key of PARAMS) {
    if (!Object.hasOwn(form, key)) continue;
    const v = form[key];
    if (typeof v !== 'string') return { repeated: key };
    if (v !== '') values[key] = v;
  }
  return { values };
}

/**
 * The token endpoint's logic for the client credentials grant (RFC 6749 §4.4), free of HTTP: the
 * router reads the request into a TokenRequest and writes the TokenAnswer back. Checks run in this
 * order: request shape (invalid_request), rate limit, client authentication (invalid_client),
 * grant type (unsupported_grant_type), scope (invalid_scope).
 */
export class TokenEndpoint {
  // Per claimed client id and source: an IdP asks for a token about once an hour, so 30 a minute
  // is generous for retries and still stops a secret-guessing loop early.
  private readonly limiter = new RateLimiterMemory({ keyPrefix: 'oauth-token', points: 30, duration: 60 });

  constructor(
    private readonly oauth: OAuthService,
    private readonly settings: () => Settings,
    private readonly failures: FailureThrottle,
  ) {}

  async handle(req: TokenRequest): Promise<TokenAnswer> {
    if (req.hasQuery) {
      return fail(400, 'invalid_request', 'send the parameters in the request body, not the URL (RFC 6749 §3.2)');
    }
    if (!req.form) {
      return fail(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded (RFC 6749 §4.4.2)');
    }
    const read = readForm(req.form);
    if ('repeated' in read) return fail(400, 'invalid_request', `parameter "${read.repeated}" is repeated (RFC 6749 §3.2)`);
    const p = read.values;
    const { header } = req;
    if (header.kind !== 'none' && p.client_secret !== undefined) {
      return fail(400, 'invalid_request', 'authenticate the client with HTTP Basic or with form parameters, not both (RFC 6749 §2.3.1)');
    }
    if (header.kind === 'basic' && p.client_id !== undefined && p.client_id !== header.id) {
      return fail(400, 'invalid_request', 'client_id in the body does not match the HTTP Basic credentials');
    }
    if (p.grant_type === undefined) return fail(400, 'invalid_request', 'missing parameter "grant_type"');

    const claimed = header.kind === 'basic' ? header.id : (p.client_id ?? '');
    const limited = await this.rateLimit(`${claimed}|${req.source}`);
    if (limited) return limited;

    const auth = await this.authenticate(header, p, req.source);
    if ('answer' in auth) return auth.answer;
    const principal = principalOf(auth.clientId);

    if (p.grant_type !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', `grant type "${p.grant_type}" is not supported; use "client_credentials"`, {
        principal,
      });
    }
    // RFC 6749 §3.3: the only scope is "scim"; omitting it grants the default, which is the same.
    const scopes = (p.scope ?? OAUTH_SCOPE).split(' ').filter(Boolean);
    const unknown = scopes.find((s) => s !== OAUTH_SCOPE);
    if (unknown !== undefined || scopes.length === 0) {
      return fail(400, 'invalid_scope', `unknown scope "${unknown ?? ''}"; the only scope is "${OAUTH_SCOPE}"`, { principal });
    }
    const ttl = this.settings().oauthTokenTtlSeconds;
    const issued = this.oauth.issue(auth.clientId, auth.secretId, ttl);
    // RFC 6749 §5.1; §4.4.3: no refresh token for this grant.
    return {
      status: 200,
      body: { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: OAUTH_SCOPE },
      headers: {},
      principal,
      note: `access token issued, expires in ${issued.expiresIn} s`,
    };
  }

  private async rateLimit(key: string): Promise<TokenAnswer | null> {
    try {
      await this.limiter.consume(key);
      return null;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retry = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      const answer = fail(429, 'temporarily_unavailable', `too many token requests; retry after ${retry} s`);
      answer.headers['Retry-After'] = String(retry);
      answer.note = 'token endpoint rate limit exceeded';
      return answer;
    }
  }

  private async authenticate(
    header: ClientAuthHeader,
    p: Partial<Record<Param, string>>,
    source: string,
  ): Promise<{ clientId: string; secretId: string } | { answer: TokenAnswer }> {
    let id: string | undefined;
    let secret: string | undefined;
    let problem: string | null = null;
    if (header.kind === 'basic') ({ id, secret } = header);
    else if (header.kind === 'bad-basic') problem = 'malformed HTTP Basic credentials';
    else if (header.kind === 'other-scheme') problem = 'unsupported authentication scheme; use HTTP Basic';
    else if (p.client_id === undefined) problem = 'no client authentication';
    else if (p.client_secret === undefined) problem = 'missing client_secret';
    else ({ client_id: id, client_secret: secret } = p);
    const result = id !== undefined && secret !== undefined ? this.oauth.authenticate(id, secret) : null;
    if (result?.ok) return { clientId: result.clientId, secretId: result.secretId };
    const reason = result && !result.ok ? result.reason : (problem ?? 'no client authentication');
    const clientId = result && !result.ok ? result.clientId : undefined;
    const answer = fail(401, 'invalid_client', problem ?? 'client authentication failed', {
      principal: clientId ? principalOf(clientId) : null,
      note: `authentication failed: ${reason}`,
    });
    // Over the source's failure budget: answer at once with 429 rather than hold the connection.
    const verdict = this.failures.fail(source);
    if (!verdict.over) return { answer };
    const limited = fail(429, 'temporarily_unavailable', `too many failed client authentications; retry after ${verdict.retryAfterSec} s`, {
      principal: answer.principal,
      note: `${answer.note}; authentication failure budget of this source exceeded: answered 429`,
    });
    limited.headers['Retry-After'] = String(verdict.retryAfterSec);
    return { answer: limited };
  }
}
