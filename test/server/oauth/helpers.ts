import type { TestNode } from '../../helpers/node.js';

export interface TokenReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface TokenCall {
  form?: Record<string, string | string[]> | string;
  basic?: [id: string, secret: string];
  authorization?: string;
  contentType?: string;
  method?: string;
  query?: string;
  userAgent?: string;
}

export const tokenUrl = (t: TestNode): string => t.base.replace(/\/v2$/, '/oauth/token');

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function encodeForm(form: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}

/** POSTs to the token endpoint (by default as a form) and parses the JSON answer. */
export async function tokenRequest(t: TestNode, c: TokenCall): Promise<TokenReply> {
  const headers: Record<string, string> = {};
  const method = c.method ?? 'POST';
  if (c.basic) headers.authorization = basic(...c.basic);
  if (c.authorization) headers.authorization = c.authorization;
  if (c.userAgent) headers['user-agent'] = c.userAgent;
  let body: string | undefined;
  if (c.form !== undefined && method !== 'GET') {
    body = typeof c.form === 'string' ? c.form : encodeForm(c.form);
    headers['content-type'] = c.contentType ?? 'application/x-www-form-urlencoded';
  }
  const res = await fetch(`${tokenUrl(t)}${c.query ?? ''}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Client credentials in the form body; returns the access token or throws with the error. */
export async function accessToken(t: TestNode, id: string, secret: string, userAgent?: string): Promise<string> {
  const r = await tokenRequest(t, { form: { grant_type: 'client_credentials', client_id: id, client_secret: secret }, userAgent });
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${JSON.stringify(r.body)}`);
  return String(r.body.access_token);
}

/** A SCIM call with an OAuth access token instead of the node's provisioning token. */
export async function scimWith(
  t: TestNode,
  bearer: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> | null; headers: Headers }> {
  const res = await fetch(`${t.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: res.headers };
}
