import type { Request, RequestHandler, Response } from 'express';
import type { EventRecorder } from '../events/recorder.js';
import { REDACTED, redactHeaders, redactValue, serializeBody } from '../events/redact.js';
import { newContext, type RequestContext } from '../events/request-context.js';
import { uuidv7 } from '../ids.js';

export interface RequestLogOptions {
  /** Attribute names (lower-case) whose values never reach storage; always includes "password". */
  sensitive: ReadonlySet<string>;
  /** Bodies above this many bytes are stored truncated, with a marker. */
  bodyCap: number;
  now: () => Date;
}

export const contextOf = (res: Response): RequestContext => res.locals.ctx as RequestContext;

/** Redacts a body we could not parse: mask any "password": "…" (or configured key) pair by pattern. */
function redactRaw(text: string, sensitive: ReadonlySet<string>): string {
  let out = text;
  for (const key of sensitive) {
    const re = new RegExp(`("(?:[^"]*:)?${key}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
    out = out.replace(re, `$1"${REDACTED} ${key}"`);
  }
  return out;
}

function requestBody(req: Request, res: Response, opts: RequestLogOptions): string | null {
  const raw = res.locals.rawRequestBody;
  if (typeof raw === 'string') return serializeBody(redactRaw(raw, opts.sensitive), opts.bodyCap);
  if (req.body === undefined) return null;
  return serializeBody(JSON.stringify(redactValue(req.body, opts.sensitive)), opts.bodyCap);
}

/**
 * The body exactly as the IdP sent it, when that differs from the stored (corrected) body: the raw
 * bytes when redaction has nothing to mask in them, else the received document re-serialized with
 * its secrets masked (exact bytes cannot be kept without the secret). Null when identical.
 */
function receivedBody(res: Response, stored: string | null, ctx: RequestContext, opts: RequestLogOptions): string | null {
  const buf: unknown = res.locals.receivedBody;
  // A body that failed to parse is already stored as received (pattern-redacted).
  if (!Buffer.isBuffer(buf) || stored === null || typeof res.locals.rawRequestBody === 'string') return null;
  const text = buf.toString('utf8');
  let out = text;
  if (stored.includes(REDACTED) || ctx.notes.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return null; // not the text the parser read (another charset): the stored body stands alone
    }
    const masked = JSON.stringify(redactValue(parsed, opts.sensitive));
    if (masked !== JSON.stringify(parsed)) out = masked;
  }
  const capped = serializeBody(out, opts.bodyCap);
  return capped === stored ? null : capped;
}

/** The response headers as sent, credentials masked by the same rule as request headers. */
function responseHeaders(res: Response): Record<string, string> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(res.getHeaders())) if (v !== undefined) out[k] = typeof v === 'number' ? String(v) : v;
  return redactHeaders(out);
}

function responseBody(res: Response, opts: RequestLogOptions): string | null {
  const text = res.locals.responseBody;
  if (typeof text !== 'string') return null;
  // Responses never carry passwords (returned: never); other configured names need a real pass.
  if (opts.sensitive.size > 1) return serializeBody(JSON.stringify(redactValue(JSON.parse(text), opts.sensitive)), opts.bodyCap);
  return serializeBody(text, opts.bodyCap);
}

/**
 * Records every request to the SCIM surface, success or failure, once the response has gone out.
 * The request id is returned as X-Request-Id so an IdP-side log line can be found here.
 */
export function requestLog(recorder: EventRecorder, opts: RequestLogOptions, log: (msg: string, err: unknown) => void): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const ctx = newContext(uuidv7(), 'scim', req.ip ?? null);
    res.locals.ctx = ctx;
    res.setHeader('X-Request-Id', ctx.requestId);
    // 'close' comes once per response: after 'finish' when it was sent, or when the client went away.
    res.on('close', () => {
      try {
        const body = requestBody(req, res, opts);
        recorder.record({
          time: opts.now().toISOString(),
          requestId: ctx.requestId,
          method: req.method,
          path: req.originalUrl,
          status: res.headersSent ? res.statusCode : 499,
          latencyMs: performance.now() - started,
          tokenId: ctx.tokenId,
          sourceIp: ctx.sourceIp,
          userAgent: req.headers['user-agent'] ?? null,
          resourceType: ctx.resourceType,
          resourceId: ctx.resourceId,
          userName: ctx.userName,
          notes: ctx.notes,
          changes: ctx.changes,
          requestHeaders: redactHeaders(req.headers),
          requestBody: body,
          requestBodyReceived: receivedBody(res, body, ctx, opts),
          responseHeaders: responseHeaders(res),
          responseBody: responseBody(res, opts),
        });
      } catch (e) {
        log('could not record SCIM request in the event log', e);
      }
    });
    next();
  };
}
