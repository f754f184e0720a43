import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { generate } from 'selfsigned';
import { configPath, resolveDataDir, resolveServe } from '../config.js';
import { dbPath, servingPid } from '../data-dir.js';
import { restoreInto } from '../ops/backup.js';
import { installService } from '../ops/service.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { runningNode } from '../serve.js';
import { loadTls } from '../tls.js';
import { dataOption, out, printJson, withNode } from './shared.js';

const MASK = /secret|password|token/i;

/** A text progress bar on stderr, redrawn in place; a no-op when stderr is not a terminal. */
function progressBar(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (!process.stderr.isTTY || total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((done / total) * 100)}%${done === total ? '\n' : ''}`,
    );
  };
}

export function registerOpsCommands(program: Command): void {
  program
    .command('config')
    .description('configuration')
    .command('show')
    .description(
      'print where the running node listens (if one serves this data dir) and the configured values (flags > env > config.json > defaults), secrets masked',
    )
    .option(...dataOption)
    .action((flags: { data?: string }) => {
      const eff = resolveServe({ data: flags.data }, process.env);
      const masked = Object.fromEntries(Object.entries(eff).map(([k, v]) => [k, MASK.test(k) && v ? '[MASKED]' : v]));
      // A node started with other flags, or before config.json changed, listens elsewhere than
      // configured: say which is which instead of printing configured values as if they were live.
      printJson({ configFile: configPath(eff.dataDir), running: runningNode(eff.dataDir), configured: masked });
    });

  program
    .command('tls')
    .description('TLS helpers')
    .command('self-signed')
    .description('write a self-signed certificate and key for trials, and print the fingerprint')
    .requiredOption('--host <name>', 'the host name (or IP) IdPs will call')
    .option('--days <n>', 'validity in days', '365')
    .option('--out <dir>', 'where to write cert.pem and key.pem (default: <data>/tls)')
    .option(...dataOption)
    .action(async (flags: { host: string; days: string; out?: string; data?: string }) => {
      const days = Number(flags.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error(`--days must be from 1 to 3650, got "${flags.days}"`);
      const dir = flags.out ?? join(resolveDataDir(flags.data, process.env), 'tls');
      const isIp = /^[\d.]+$|:/.test(flags.host);
      const pems = await generate([{ name: 'commonName', value: flags.host }], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        notAfterDate: new Date(Date.now() + days * 86_400_000),
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [isIp ? { type: 7, ip: flags.host } : { type: 2, value: flags.host }] },
        ],
      });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      writeFileSync(cert, pems.cert, { mode: 0o644 });
      writeFileSync(key, pems.private, { mode: 0o600 });
      const loaded = loadTls(cert, key);
      out(`Certificate: ${resolve(cert)}`);
      out(`Key: ${resolve(key)}`);
      out(`Valid until: ${loaded.validTo}`);
      out(`Serve with: scimdesk serve --tls-cert ${resolve(cert)} --tls-key ${resolve(key)}`);
      out(`SHA-256 fingerprint: ${loaded.fingerprint256}`);
    });

  program
    .command('backup')
    .description('online, consistent backup of the database (works while serving)')
    .requiredOption('--to <file>', 'backup file to write')
    .option(...dataOption)
    .action(async (flags: { to: string; data?: string }) => {
      const { pages } = await withNode(flags.data, (node) => node.backup(flags.to, progressBar('backup')));
      out(`Backed up ${pages} pages to ${resolve(flags.to)}.`);
    });

  program
    .command('restore')
    .description('replace the database with a verified backup (refused while serving)')
    .requiredOption('--from <file>', 'backup file')
    .option(...dataOption)
    .action((flags: { from: string; data?: string }) => {
      const dir = resolveDataDir(flags.data, process.env);
      const pid = servingPid(dir);
      if (pid !== null) throw new Error(`scimdesk serve (pid ${pid}) is running on ${dir}; stop it before restoring`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const { previous } = restoreInto(dbPath(dir), flags.from);
      out(`Restored ${resolve(flags.from)} into ${dir}.${previous ? ` The previous database was kept at ${previous}.` : ''}`);
    });

  program
    .command('export')
    .description('write extension schemas, users, groups, memberships, mappings and roles as JSON Lines to stdout')
    .requiredOption('--format <format>', 'jsonl')
    .option(...dataOption)
    .action(async (flags: { format: string; data?: string }) => {
      if (flags.format !== 'jsonl') throw new Error(`--format must be jsonl, got "${flags.format}"`);
      const counts = await withNode(flags.data, (node) =>
        node.transfer.exportDirectory((line) =>
          process.stdout.write(line) ? undefined : new Promise<void>((r) => process.stdout.once('drain', () => r())),
        ),
      );
      process.stderr.write(
        `exported ${counts.schema} extension schemas, ${counts.user} users, ${counts.group} groups, ${counts.membership} memberships, ${counts.mapping} mappings\n`,
      );
    });

  program
    .command('import')
    .description('load a `scimdesk export` file into this node (all or nothing)')
    .requiredOption('--from <file>', 'JSON Lines file')
    .option(...dataOption)
    .action(async (flags: { from: string; data?: string }) => {
      const text = readFileSync(flags.from, 'utf8');
      const counts = await withNode(flags.data, (node) => node.transfer.importDirectory(text));
      out(
        `Imported ${counts.schema} extension schemas, ${counts.user} users, ${counts.group} groups, ${counts.membership} memberships, ${counts.mapping} mappings.`,
      );
    });

  program
    .command('service')
    .description('run as a system service')
    .command('install')
    .description('write a systemd unit that runs as a dedicated user, and tighten the data dir (0700, files 0600)')
    .option('--user <name>', 'service user', 'scimdesk')
    .option('--data <dir>', 'data directory for the service', '/var/lib/scimdesk')
    .option('--unit-dir <dir>', 'where to write scimdesk.service', '/etc/systemd/system')
    .option('--no-create-user', 'do not create the service user')
    .action((flags: { user: string; data: string; unitDir: string; createUser: boolean }) => {
      const r = installService({
        user: flags.user,
        dataDir: resolve(flags.data),
        node: process.execPath,
        cli: join(PACKAGE_ROOT, 'dist', 'cli.js'),
        unitDir: flags.unitDir,
        createUser: flags.createUser,
      });
      out(`Wrote ${r.unitPath}${r.userCreated ? ` and created system user ${flags.user}` : ''}; ${flags.data} is 0700 with files 0600.`);
      out(`Next: ${r.next.join(' && ')}`);
    });
}
