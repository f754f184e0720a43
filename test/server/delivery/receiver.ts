import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback whose answer the test sets; it records every request. */
export interface Receiver {
  url: string;
  got: Received[];
  /** The status to answer with, or a function of the request. */
  answer: number | ((r: Received) => number);
  /** Extra headers on the answer (e.g. Location for a redirect test). */
  headers: Record<string, string>;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

export async function receiver(): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    got: [],
    answer: 200,
    headers: {},
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      r.got.push(got);
      const status = typeof r.answer === 'number' ? r.answer : r.answer(got);
      res.writeHead(status, { 'content-type': 'text/plain', ...r.headers });
      res.end(status >= 300 ? `failure ${status}` : 'ok');
    });
  });
  servers.push(server);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

/** A receiver's own check, written independently of server/delivery/sign.ts, as the docs show it. */
export function verify(secret: string, header: string, body: string, nowSec: number, toleranceSec = 300): boolean {
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts.some(([k, v]) => k === 'v1' && v.length === 64 && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}
