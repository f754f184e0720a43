import type { ErrorRequestHandler } from 'express';
import { ScimError } from '../scim/errors.js';
import { sendScim } from './send.js';

/** body-parser's errors carry `type` and, for malformed JSON, the raw body text. */
interface ParserError {
  type?: string;
  status?: number;
  body?: unknown;
}

/** The encodings body-parser inflates (RFC 9110 §8.4.1); anything else is already a typed 415. */
const INFLATED = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/**
 * A gzip, deflate or brotli body that does not decode reaches the error handler as body-parser's bare
 * zlib error (status 400, no `type`), so the request's Content-Encoding is what identifies it.
 * Returns that encoding, or undefined for any other error.
 */
export function undecodableBody(err: unknown, contentEncoding: string | undefined): string | undefined {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (typeof err !== 'object' || err === null || encoding === undefined || !INFLATED.has(encoding)) return undefined;
  const e = err as ParserError;
  return e.type === undefined && e.status === 400 ? encoding : undefined;
}

function fromParser(err: ParserError, contentEncoding: string | undefined): ScimError | undefined {
  const encoding = undecodableBody(err, contentEncoding);
  if (encoding) return new ScimError(400, 'invalidSyntax', `request body could not be decoded as Content-Encoding "${encoding}"`);
  switch (err.type) {
    case 'entity.parse.failed':
      return new ScimError(400, 'invalidSyntax', 'request body is not valid JSON');
    case 'entity.too.large':
      return new ScimError(413, undefined, 'request body exceeds the size limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ScimError(415, undefined, 'unsupported content encoding or charset; send UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
      return new ScimError(400, 'invalidSyntax', 'request body was incomplete');
    default:
      return undefined;
  }
}

/**
 * The single translator from thrown errors to RFC 7644 §3.12 responses. A ScimError is the client's
 * fault and rendered as is; anything else is our bug: logged (without request data) and a bare 500.
 */
export function scimErrorHandler(log: (msg: string, err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    // Express's router throws a URIError when a path parameter has broken percent-encoding.
    const badUrl = err instanceof URIError ? new ScimError(400, undefined, 'the request URL has malformed percent-encoding') : undefined;
    const parsed =
      badUrl ?? (typeof err === 'object' && err !== null ? fromParser(err as ParserError, req.get('content-encoding')) : undefined);
    if (parsed && typeof (err as ParserError).body === 'string') res.locals.rawRequestBody = (err as ParserError).body;
    const scim = err instanceof ScimError ? err : parsed;
    if (scim) {
      const headers: Record<string, string> = {};
      if (scim.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="SCIM Desk"';
      sendScim(res, scim.status, scim.toBody(), headers);
      return;
    }
    log('unhandled error in SCIM request', err);
    sendScim(res, 500, new ScimError(500, undefined, 'internal server error; the request was not applied').toBody());
  };
}
