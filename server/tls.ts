import { createPrivateKey, X509Certificate } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import type { Server as HttpsServer, ServerOptions } from 'node:https';
import { basename, dirname, resolve } from 'node:path';

export class TlsError extends Error {
  override name = 'TlsError';
}

export interface LoadedTls {
  options: Pick<ServerOptions, 'cert' | 'key' | 'minVersion'>;
  fingerprint256: string;
  validTo: string;
  subject: string;
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new TlsError(`cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Loads and checks a certificate and key, so a bad pair stops startup with a clear reason instead
 * of failing every IdP handshake later: unreadable, not PEM, key not matching, or expired.
 */
export function loadTls(certFile: string, keyFile: string, now = new Date()): LoadedTls {
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsError(`${certFile} is not a PEM certificate`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsError(`${keyFile} is not a PEM private key (encrypted keys are not supported)`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsError(`the key ${keyFile} does not match the certificate ${certFile}`);
  if (Date.parse(x509.validTo) <= now.getTime()) throw new TlsError(`the certificate ${certFile} expired on ${x509.validTo}`);
  if (Date.parse(x509.validFrom) > now.getTime()) throw new TlsError(`the certificate ${certFile} is not valid before ${x509.validFrom}`);
  // TLS 1.2 is the floor both Okta and Entra require.
  return {
    options: { cert, key, minVersion: 'TLSv1.2' },
    fingerprint256: x509.fingerprint256,
    validTo: x509.validTo,
    subject: x509.subject,
  };
}

/**
 * Reloads the pair on file change or SIGHUP without dropping connections: established sockets keep
 * their session, new handshakes get the new context. A bad new pair is refused and the old one stays.
 */
export function watchTls(server: HttpsServer, certFile: string, keyFile: string, log: (msg: string, err?: unknown) => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  const reload = (why: string) => {
    try {
      const t = loadTls(certFile, keyFile);
      server.setSecureContext(t.options);
      log(`TLS certificate reloaded (${why}); valid until ${t.validTo}, SHA-256 ${t.fingerprint256}`);
    } catch (e) {
      log('TLS reload refused; keeping the previous certificate', e);
    }
  };
  const debounced = (why: string) => {
    if (timer) clearTimeout(timer);
    // Certificate renewals write two files; wait until both are in place.
    timer = setTimeout(() => reload(why), 300);
  };
  // Watch the directories, not the files: certbot and most ACME clients write a new file and rename
  // it into place (or re-point a symlink), and a watch on the old path follows the old inode, which
  // no longer changes. A directory watch sees every rename into it, renewal after renewal.
  const names = new Map<string, Set<string>>();
  for (const f of [certFile, keyFile]) {
    const dir = dirname(resolve(f));
    names.set(dir, (names.get(dir) ?? new Set()).add(basename(f)));
  }
  const watchers: FSWatcher[] = [];
  for (const [dir, files] of names) {
    try {
      watchers.push(
        watch(dir, (_event, name) => {
          // Some platforms omit the name; then any change in the directory may be ours.
          if (name === null || files.has(String(name))) debounced('file changed');
        }),
      );
    } catch (e) {
      log(`cannot watch ${dir} for changes; SIGHUP still reloads`, e);
    }
  }
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
    process.off('SIGHUP', onHup);
  };
}
