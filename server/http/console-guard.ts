import { timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

/**
 * The Host names the loopback console answers to. A page on another origin that re-points its own
 * DNS name at 127.0.0.1 (DNS rebinding) still sends its own name in Host, so refusing every other
 * name keeps such a page from reading the console or /metrics.
 */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

export function loopbackHostOnly(): RequestHandler {
  return (req, res, next) => {
    if (LOOPBACK_HOST.test(req.get('host') ?? '')) return next();
    // 421 Misdirected Request (RFC 9110 §15.5.20): this server is not the one the name points at.
    res.status(421).json({
      ok: false,
      error: { code: 'invalid', message: 'the console answers only to a loopback host name (127.0.0.1, localhost, [::1])' },
    });
  };
}

/**
 * Cookies by name (RFC 6265 §5.2). A value that does not percent-decode is skipped, not thrown:
 * any local page can plant a cookie on 127.0.0.1, and one bad cookie must not lock the console out.
 */
export function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // Malformed percent-encoding: ignore this cookie only.
    }
  }
  return out;
}

export const bearerOf = (req: Request): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];

/** Constant-time string comparison for secrets presented by a client. */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const consoleError = (res: Response, status: number, code: 'invalid' | 'unauthorized' | 'internal', message: string) =>
  res.status(status).json({ ok: false, error: { code, message } });

/**
 * The console's last error handler: every error is answered as the contract's JSON error, never as
 * Express's HTML page with a stack trace. Body-parser errors carry their own 4xx status.
 */
export function consoleErrors(log: (msg: string, err?: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const e = err as { status?: unknown; type?: unknown };
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e.type === 'entity.parse.failed') return void consoleError(res, 400, 'invalid', 'the request body is not valid JSON');
    if (e.type === 'entity.too.large') return void consoleError(res, 413, 'invalid', 'the request body is larger than 1 MiB');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
      return void consoleError(res, e.status, 'invalid', 'the request could not be read');
    log('console request failed', err);
    consoleError(res, 500, 'internal', 'internal error; see the node log');
  };
}
