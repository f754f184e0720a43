import type { Response } from 'express';
import type { JsonObject } from '../scim/json.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * The one way SCIM responses leave the node: the body is serialized once, and the same string is
 * what the request log stores, so the event log shows byte-for-byte what the IdP received.
 */
export function sendScim(res: Response, status: number, body: JsonObject | null, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === null) {
    res.status(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.locals.responseBody = text;
  res.status(status).setHeader('Content-Type', SCIM_CONTENT_TYPE);
  res.end(text);
}
