import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleLoginRepo } from '../store/console-login-repo.js';

export interface ConsoleSession {
  csrf: string;
  expiresAt: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Credentials of the headless console, deliberately unlike SCIM tokens: a one-time login code (10
 * minutes, single use) becomes a session cookie. Sessions live in the serving process's memory, so a
 * restart logs everyone out; a SCIM bearer token is never a console credential, nor the reverse.
 */
export class ConsoleAuth {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    private readonly codes: ConsoleLoginRepo,
    private readonly now: () => Date,
    private readonly sessionMs = 12 * 3_600_000,
  ) {}

  createLoginCode(ttlMs = 10 * 60_000): string {
    const code = randomBytes(24).toString('base64url');
    const at = this.now();
    this.codes.insert(sha256(code), at.toISOString(), new Date(at.getTime() + ttlMs).toISOString());
    return code;
  }

  /** Exchanges a login code for a session id (the cookie value); undefined when the code is spent. */
  login(code: string): { sessionId: string; session: ConsoleSession } | undefined {
    const at = this.now().toISOString();
    if (!this.codes.redeem(sha256(code), at)) return undefined;
    const sessionId = randomBytes(32).toString('base64url');
    const session = { csrf: randomBytes(24).toString('base64url'), expiresAt: this.now().getTime() + this.sessionMs };
    this.sessions.set(sha256(sessionId), session);
    return { sessionId, session };
  }

  session(sessionId: string | undefined): ConsoleSession | undefined {
    if (!sessionId) return undefined;
    const key = sha256(sessionId);
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= this.now().getTime()) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  /** Seconds until the session expires, by the node's clock (the cookie's Max-Age). */
  remainingSeconds(session: ConsoleSession): number {
    return Math.max(0, Math.floor((session.expiresAt - this.now().getTime()) / 1000));
  }

  /** Double-submit CSRF check: the header must equal the session's token. */
  csrfOk(session: ConsoleSession, header: string | undefined): boolean {
    if (!header) return false;
    const a = Buffer.from(header);
    const b = Buffer.from(session.csrf);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  logout(sessionId: string | undefined): void {
    if (sessionId) this.sessions.delete(sha256(sessionId));
  }
}
