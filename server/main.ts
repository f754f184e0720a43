import { Command, CommanderError } from 'commander';
import { parseDuration, type TokenSummary } from './auth/tokens.js';
import { resolveDataDir, resolveServe } from './config.js';
import { dbPath, ensureDataDir } from './data-dir.js';
import { type ScimNode, startNode } from './node.js';
import { serve } from './serve.js';

/**
 * `scimdesk`, the headless entry. Other tools script against this CLI, so its commands, flags and
 * output lines are a contract (see README "CLI").
 */
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function withNode<T>(data: string | undefined, fn: (node: ScimNode) => T): T {
  const dir = resolveDataDir(data, process.env);
  ensureDataDir(dir);
  // The CLI opens the same SQLite file as a running `serve` (WAL lets both in); changes it makes
  // are read by the server on its next request.
  const node = startNode({ dbFile: dbPath(dir) });
  try {
    return fn(node);
  } finally {
    node.close();
  }
}

const tokenJson = (t: TokenSummary) => ({
  id: t.id,
  label: t.label,
  prefix: t.prefix,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

export function buildCli(): Command {
  const program = new Command('scimdesk')
    .description('SCIM Desk: a self-contained SCIM 2.0 provisioning node')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('run the provisioning node')
    .option('--data <dir>', 'data directory (env SCIMDESK_DATA; default: the OS app-data dir)')
    .option('--host <host>', 'address to listen on (env SCIMDESK_HOST)', undefined)
    .option('--port <port>', 'SCIM port (env SCIMDESK_PORT; default 7643)')
    .option('--console-port <port>', 'loopback port of the web console (default 7644)')
    .option('--no-console', 'do not start the web console')
    .action(async (flags: { data?: string; host?: string; port?: string; consolePort?: string; console?: boolean }) => {
      const opts = resolveServe(flags, process.env);
      const running = await serve(opts);
      out(`Data directory: ${opts.dataDir}`);
      out(`SCIM endpoint: ${running.scimUrl}`);
      if (running.node.tokens.list().every((t) => t.revokedAt)) {
        out('No active provisioning token yet: create one with `scimdesk token create --label NAME`.');
      }
      const shutdown = (signal: string) => {
        out(`${signal} received: finishing in-flight requests`);
        void running.stop().then(() => {
          out('stopped');
          process.exit(0);
        });
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });

  const token = program.command('token').description('manage provisioning tokens');
  token
    .command('create')
    .description('create a token; the secret is printed once, alone on the last line')
    .requiredOption('--label <name>', 'what the token is for, e.g. "Okta production"')
    .option('--expires-in <duration>', 'lifetime such as 90d, 12h, 2w or 1y (default: no expiry)')
    .option('--data <dir>', 'data directory')
    .action((flags: { label: string; expiresIn?: string; data?: string }) => {
      const expiresInMs = flags.expiresIn ? parseDuration(flags.expiresIn) : null;
      const created = withNode(flags.data, (node) => node.tokens.create({ label: flags.label, expiresInMs }));
      out(
        `Created token ${created.id} (${created.label}), prefix ${created.prefix}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}.`,
      );
      out('Copy it now: it is shown only once and cannot be recovered.');
      out(created.token);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print a JSON array')
    .option('--data <dir>', 'data directory')
    .action((flags: { json?: boolean; data?: string }) => {
      const all = withNode(flags.data, (node) => node.tokens.list());
      if (flags.json) {
        out(JSON.stringify(all.map(tokenJson), null, 2));
        return;
      }
      if (all.length === 0) out('No tokens. Create one with `scimdesk token create --label NAME`.');
      for (const t of all) {
        const state = t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) < Date.now() ? 'expired' : 'active';
        out(`${t.id}  ${t.prefix}  ${state.padEnd(7)}  ${t.label}  last used ${t.lastUsedAt ?? 'never'}`);
      }
    });
  token
    .command('revoke')
    .description('revoke a token; it stops working on the next request')
    .argument('<id>', 'token id (from `token list`)')
    .option('--data <dir>', 'data directory')
    .action((id: string, flags: { data?: string }) => {
      const ok = withNode(flags.data, (node) => node.tokens.revoke(id));
      if (!ok) throw new Error(`no active token with id ${id}`);
      out(`Revoked token ${id}.`);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    process.stderr.write(`scimdesk: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
