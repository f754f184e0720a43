import type { Request, RequestHandler, Response } from 'express';
import type { EventRecorder } from '../events/recorder.js';
import { minimalEvent } from '../events/recorder.js';
import { redactChanges, redactHeaders, redactUnparsed, redactUrl, redactValue, serializeBody } from '../events/redact.js';
import { newContext, type RequestContext } from '../events/request-context.js';
import { uuidv7 } from '../ids.js';

export interface RequestLogOptions {
  /** Attribute names (lower-case) whose values never reach storage; always includes "password". */
  sensitive: ReadonlySet<string>;
  /** Bodies above this many bytes are stored truncated, with a marker. */
  bodyCap: number;
  now: () => Date;
}

/** What the recorder stores for one request. */
type RecordedEvent = Parameters<EventRecorder['record']>[0];

export const contextOf = (res: Response): RequestContext => res.locals.ctx as RequestContext;

/** The body's bytes as UTF-8 text (what the IdP sent), or null when the parser kept none. */
function sentText(res: Response): string | null {
  const buf: unknown = res.locals.receivedBody;
  return Buffer.isBuffer(buf) ? buf.toString('utf8') : null;
}

/**
 * The request body to store, and the body as received when that differs: redacted once. With no
 * dialect correction the document stored is the one received, so its exact bytes are the stored
 * body when redaction masked nothing (and the masked serialization otherwise). When the dialect
 * layer corrected it, the corrected document is stored and the received one kept beside it: its raw
 * bytes if nothing in them is masked, else re-serialized with the secrets masked (exact bytes cannot
 * be kept without the secret).
 */
function requestBodies(
  req: Request,
  res: Response,
  ctx: RequestContext,
  opts: RequestLogOptions,
): { stored: string | null; received: string | null } {
  const raw = res.locals.rawRequestBody;
  // A body the parser refused is never stored verbatim: a bounded excerpt, scanned and masked.
  if (typeof raw === 'string')
    return { stored: serializeBody(redactUnparsed(raw.slice(0, opts.bodyCap), opts.sensitive), opts.bodyCap), received: null };
  if (req.body === undefined) return { stored: null, received: null };
  const report = { masked: false };
  const redacted = redactValue(req.body, opts.sensitive, report);
  const text = sentText(res);
  if (ctx.notes.length === 0) {
    return { stored: serializeBody(!report.masked && text !== null ? text : JSON.stringify(redacted), opts.bodyCap), received: null };
  }
  const stored = serializeBody(JSON.stringify(redacted), opts.bodyCap);
  if (text === null) return { stored, received: null };
  let sent: unknown;
  try {
    sent = JSON.parse(text);
  } catch {
    return { stored, received: null }; // not the text the parser read (another charset): the stored body stands alone
  }
  const sentReport = { masked: false };
  const maskedSent = redactValue(sent, opts.sensitive, sentReport);
  const received = serializeBody(sentReport.masked ? JSON.stringify(maskedSent) : text, opts.bodyCap);
  return { stored, received: received === stored ? null : received };
}

/** The response headers as sent, credentials masked by the same rule as request headers. */
function responseHeaders(res: Response): Record<string, string> {
  return redactHeaders(res.getHeaders());
}

function responseBody(res: Response, opts: RequestLogOptions): string | null {
  const text = res.locals.responseBody;
  if (typeof text !== 'string') return null;
  // Responses never carry passwords (returned: never); other configured names need a real pass.
  if (opts.sensitive.size > 1) return serializeBody(JSON.stringify(redactValue(JSON.parse(text), opts.sensitive)), opts.bodyCap);
  return serializeBody(text, opts.bodyCap);
}

/** Headers kept for a rejected (401) request: enough to tell the caller, bounded in size. */
const REJECTED_HEADERS = ['user-agent', 'content-type', 'content-length', 'authorization', 'x-forwarded-for'];

function rejectedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of REJECTED_HEADERS) if (headers[h] !== undefined) out[h] = headers[h].slice(0, 256);
  return out;
}

const MAX_PATH = 2048;
const MAX_USER_AGENT = 512;
const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}[…]` : s);

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
      const status = res.headersSent ? res.statusCode : 499;
      // One record, filled in place: the payloads are set on it below rather than copied into a
      // second object, since this runs once for every request the node answers.
      const event: RecordedEvent = {
        time: opts.now().toISOString(),
        requestId: ctx.requestId,
        method: req.method,
        // Credentials in the query string (access_token=…) lose their value before storage.
        path: clip(redactUrl(req.originalUrl, opts.sensitive), MAX_PATH),
        status,
        latencyMs: performance.now() - started,
        tokenId: ctx.tokenId,
        sourceIp: ctx.sourceIp,
        userAgent: req.headers['user-agent'] === undefined ? null : clip(req.headers['user-agent'], MAX_USER_AGENT),
        resourceType: ctx.resourceType,
        resourceId: ctx.resourceId,
        userName: ctx.userName,
        simulated: ctx.simulated,
        notes: ctx.notes,
        changes: redactChanges(ctx.changes, opts.sensitive),
        requestHeaders: {},
        requestBody: null,
        requestBodyReceived: null,
        responseHeaders: {},
        responseBody: null,
      };
      try {
        // A 429 from the failure throttle (server/http/auth.ts) is a rejected request too.
        if (status === 401 || (status === 429 && res.locals.authRejected === true)) {
          // Rejected requests: anyone can send them, so each stores little, and repeats are counted.
          // Only callers without any known credential are aggregated: a revoked or expired token
          // of a real IdP keeps one row per request, which the health report counts.
          if (event.tokenId === null && !recorder.unauthorized.admit(event, opts.now().getTime())) return;
          event.requestHeaders = rejectedHeaders(redactHeaders(req.headers));
          event.responseHeaders = responseHeaders(res);
          event.responseBody = responseBody(res, opts);
          recorder.record(event);
          return;
        }
        const bodies = requestBodies(req, res, ctx, opts);
        event.requestHeaders = redactHeaders(req.headers);
        event.requestBody = bodies.stored;
        event.requestBodyReceived = bodies.received;
        event.responseHeaders = responseHeaders(res);
        event.responseBody = responseBody(res, opts);
        recorder.record(event);
      } catch (e) {
        // The full record could not be built (an input we cannot serialize): the request still
        // leaves a bounded record, and says why its payloads are missing.
        try {
          recorder.record(
            minimalEvent(event, `payload left out: the record could not be built (${e instanceof Error ? e.name : typeof e})`),
          );
        } catch (again) {
          log('could not record SCIM request in the event log', again);
        }
      }
    });
    next();
  };
}
