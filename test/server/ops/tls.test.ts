import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, serve } from '../../../server/serve.js';
import { loadTls } from '../../../server/tls.js';

const dirs: string[] = [];
const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function pair(
  dir: string,
  name: string,
  opts: { notBefore?: Date; notAfter?: Date } = {},
): Promise<{ cert: string; key: string; pem: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...(opts.notBefore ? { notBeforeDate: opts.notBefore } : {}),
    notAfterDate: opts.notAfter ?? new Date(Date.now() + 86_400_000),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  writeFileSync(cert, pems.cert);
  writeFileSync(key, pems.private);
  return { cert, key, pem: pems.cert };
}

/** A Node client pinned to one certificate: it trusts that certificate and nothing else. */
function pinnedGet(
  url: string,
  ca: string | undefined,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, ...extra }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'scimdesk-tls-'));
  dirs.push(d);
  return d;
}

describe('TLS', () => {
  it('serves SCIM over TLS 1.2+ with a self-signed certificate that a pinned Node client accepts', async () => {
    const dir = tmp();
    const p = await pair(dir, 'a');
    const s = await serve(
      { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: null, tlsCert: p.cert, tlsKey: p.key },
      { log: () => {} },
    );
    running.push(s);
    expect(s.scimUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/scim\/v2$/);
    const health = s.scimUrl.replace('/api/scim/v2', '/healthz');
    const ok = await pinnedGet(health, p.pem);
    expect(ok.status).toBe(200);
    expect(ok.fingerprint).toBe(loadTls(p.cert, p.key).fingerprint256);
    await expect(pinnedGet(health, undefined)).rejects.toThrow(/self[- ]signed/i);
    await expect(pinnedGet(health, p.pem, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).rejects.toThrow();
  });

  it('reloads the certificate on SIGHUP without a restart', async () => {
    const dir = tmp();
    const a = await pair(dir, 'live');
    const s = await serve(
      { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: null, tlsCert: a.cert, tlsKey: a.key },
      { log: () => {} },
    );
    running.push(s);
    const health = s.scimUrl.replace('/api/scim/v2', '/healthz');
    const before = await pinnedGet(health, a.pem);
    const b = await pair(dir, 'next');
    writeFileSync(a.cert, readPem(b.cert));
    writeFileSync(a.key, readPem(b.key));
    process.emit('SIGHUP');
    const after = await pinnedGet(health, readPem(b.cert), { agent: false });
    expect(after.status).toBe(200);
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });

  it('follows renewals that rename new files into place, as certbot and ACME clients do, renewal after renewal', async () => {
    const dir = tmp();
    const live = join(dir, 'live');
    mkdirSync(live);
    const a = await pair(dir, 'first');
    const cert = join(live, 'fullchain.pem');
    const key = join(live, 'privkey.pem');
    writeFileSync(cert, readPem(a.cert));
    writeFileSync(key, readPem(a.key));
    const s = await serve(
      { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: null, tlsCert: cert, tlsKey: key },
      { log: () => {} },
    );
    running.push(s);
    const health = s.scimUrl.replace('/api/scim/v2', '/healthz');
    let previous = (await pinnedGet(health, a.pem, { agent: false })).fingerprint;
    for (const round of ['second', 'third']) {
      const next = await pair(dir, round);
      // Write beside the target, then rename over it: the path now names a new inode.
      writeFileSync(`${key}.new`, readPem(next.key));
      writeFileSync(`${cert}.new`, readPem(next.cert));
      renameSync(`${key}.new`, key);
      renameSync(`${cert}.new`, cert);
      let seen = previous;
      for (let i = 0; i < 50 && seen === previous; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = (await pinnedGet(health, undefined, { agent: false, rejectUnauthorized: false })).fingerprint;
      }
      expect(seen, round).toBe(new X509Certificate(next.pem).fingerprint256);
      previous = seen;
    }
  });

  it.each([
    [
      'unreadable',
      async (d: string) => ({ cert: join(d, 'missing.crt'), key: join(d, 'missing.key') }),
      /cannot read the TLS certificate .*missing\.crt: ENOENT/,
    ],
    [
      'mismatched',
      async (d: string) => {
        const x = await pair(d, 'x');
        const y = await pair(d, 'y');
        return { cert: x.cert, key: y.key };
      },
      /the key .*y\.key does not match the certificate .*x\.crt/,
    ],
    [
      'expired',
      async (d: string) =>
        pair(d, 'old', { notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }),
      /the certificate .*old\.crt expired on /,
    ],
  ])('refuses to start with an %s certificate, saying why', async (_name, make, message) => {
    const dir = tmp();
    const p = await make(dir);
    await expect(
      serve(
        { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, consolePort: null, tlsCert: p.cert, tlsKey: p.key },
        { log: () => {} },
      ),
    ).rejects.toThrow(message);
  });
});

const readPem = (file: string): string => readFileSync(file, 'utf8');
