import { type ClientRequest, Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostAnswer {
  status: number;
  /** The first bytes of the response body, for the attempt record. */
  excerpt: string | null;
}

/** One POST; rejects when no answer comes (refused, reset, or none within `timeoutMs`). */
export type Post = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<PostAnswer>;

export class PostTimeout extends Error {
  override name = 'PostTimeout';
}

const EXCERPT_BYTES = 512;

/**
 * Webhook POSTs over node:http(s) with keep-alive agents. Not the global fetch: on Node 20 its
 * WHATWG-stream layer made one sequential delivery cost about four times a node:http request, and
 * an endpoint's queue is sequential by design, so that cost is its whole throughput. node:http never
 * follows redirects, which is what delivery needs (issue #14: redirects are not followed).
 */
export function nodePost(): { post: Post; close(): void } {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 8 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }) };
  const open = new Set<ClientRequest>();
  const post: Post = (url, body, headers, timeoutMs) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const https = u.protocol === 'https:';
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        open.delete(req);
        fn();
      };
      const req = (https ? httpsRequest : httpRequest)(
        u,
        {
          method: 'POST',
          agent: https ? agents.https : agents.http,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () => {
            const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
            finish(() => resolve({ status: res.statusCode ?? 0, excerpt: text === '' ? null : text }));
          };
          res.on('data', (c: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(c);
            size += c.length;
            // A large answer is not read to its end: the socket is dropped instead of drained.
            if (size > 64 * 1024) res.destroy();
          });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      // The whole exchange, not socket idleness: a receiver that drips its answer still times out.
      const timer = setTimeout(() => req.destroy(new PostTimeout(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      open.add(req);
      req.on('error', (e) => finish(() => reject(e)));
      req.end(body);
    });
  return {
    post,
    close() {
      for (const req of open) req.destroy(new Error('delivery stopped'));
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
