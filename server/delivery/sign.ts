import { createHmac } from 'node:crypto';

/**
 * The webhook signature, `SCIMDesk-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: each v1 is
 * HMAC-SHA256 (RFC 2104) keyed with one live secret, exactly as the CLI printed it, over
 * "<t>.<raw body>". The timestamp inside the signed text lets a receiver refuse replays (5 minutes).
 * During a rotation every live secret signs, so a receiver holding either one verifies.
 * The one signing function: the sender, the tests and the docs' example all use this shape.
 */
export function signatureHeader(secrets: readonly string[], rawBody: string, unixSeconds: number): string {
  const signed = `${unixSeconds}.${rawBody}`;
  return [`t=${unixSeconds}`, ...secrets.map((s) => `v1=${createHmac('sha256', s).update(signed).digest('hex')}`)].join(',');
}
