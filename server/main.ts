import { Command, CommanderError } from 'commander';
import { registerAppTokenCommands } from './cli/app-token-commands.js';
import { registerDirectoryCommands } from './cli/directory-commands.js';
import { registerEventCommands } from './cli/event-commands.js';
import { registerHealthCommand } from './cli/health-command.js';
import { registerOAuthCommands } from './cli/oauth-commands.js';
import { registerOpsCommands } from './cli/ops-commands.js';
import { registerSchemaCommands } from './cli/schema-commands.js';
import { registerSettingsCommands } from './cli/settings-commands.js';
import { out, terminalSafe, withNode } from './cli/shared.js';
import { registerTokenCommands } from './cli/token-commands.js';
import { registerWebhookCommands } from './cli/webhook-commands.js';
import { resolveDataDir, resolveServe, type ServeFlags } from './config.js';
import { servingPid } from './data-dir.js';
import { createLogger, defaultLogFormat, logFn } from './log.js';
import { runningConsoleUrl, serve } from './serve.js';
import { registerSimulate } from './simulate/command.js';

/**
 * `scimdesk`, the headless entry. Other tools script against this CLI, so its commands, flags and
 * output lines are a contract (see docs/cli.md).
 */
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
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (env SCIMDESK_TLS_CERT)')
    .option('--tls-key <file>', 'and this PEM key (env SCIMDESK_TLS_KEY)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (env SCIMDESK_LOG_LEVEL)')
    .option('--log-format <format>', 'json or pretty (env SCIMDESK_LOG_FORMAT; default: pretty on a terminal, json otherwise)')
    .action(async (flags: ServeFlags) => {
      const opts = resolveServe(flags, process.env);
      // One format per destination: stdout carries either pino JSON records or human lines, never both.
      const logger = createLogger(opts.logLevel ?? 'info', opts.logFormat ?? defaultLogFormat(process.stdout));
      // The start-up lines are what an operator (and scripts) wait for, so they print at any log level.
      const say = logger.child({}, { level: 'info' });
      const running = await serve(opts, { log: logFn(logger) });
      // Handle signals before announcing the endpoint: a script that waits for it may stop us at once.
      const shutdown = (signal: string) => {
        say.info({ signal }, `${signal} received: finishing in-flight requests`);
        void running.stop().then(() => {
          say.info('stopped');
          process.exit(0);
        });
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      const { scimUrl, consoleUrl } = running;
      say.info({ dataDir: opts.dataDir }, `Data directory: ${opts.dataDir}`);
      if (running.tls) {
        const { validTo, fingerprint256 } = running.tls;
        say.info({ validTo, fingerprint256 }, `TLS: certificate valid until ${validTo}, SHA-256 ${fingerprint256}`);
      }
      say.info({ scimUrl }, `SCIM endpoint: ${scimUrl}`);
      if (running.loginUrl) {
        say.info({ consoleUrl }, `Console: ${consoleUrl} (loopback only)`);
        say.info({ loginUrl: running.loginUrl }, `Console login (one-time link, valid 10 minutes): ${running.loginUrl}`);
      }
      const noToken = running.node.tokens.list().every((t) => t.revokedAt);
      const noClient = running.node.oauth.list().every((c) => c.state !== 'active');
      if (noToken && noClient) {
        say.info('No active provisioning token yet: create one with `scimdesk token create --label NAME`.');
      }
    });

  program
    .command('console-link')
    .description('print a new one-time login link for the running node’s web console')
    .option('--data <dir>', 'data directory (env SCIMDESK_DATA; default: the OS app-data dir)')
    .action(async (flags: { data?: string }) => {
      const dir = resolveDataDir(flags.data, process.env);
      const consoleUrl = servingPid(dir) === null ? null : runningConsoleUrl(dir);
      if (!consoleUrl) throw new Error(`no scimdesk serve with a console is running on ${dir}`);
      const code = await withNode(flags.data, (node) => node.consoleAuth.createLoginCode());
      out(`${consoleUrl}/login?code=${code}`);
    });

  registerTokenCommands(program);
  registerOAuthCommands(program);
  registerDirectoryCommands(program);
  registerEventCommands(program);
  registerHealthCommand(program);
  registerSettingsCommands(program);
  registerSchemaCommands(program);
  registerSimulate(program);
  registerOpsCommands(program);
  registerAppTokenCommands(program);
  registerWebhookCommands(program);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    // An error message can quote stored data (a userName): escaped like any human output.
    process.stderr.write(`scimdesk: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
}
