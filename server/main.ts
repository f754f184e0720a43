import { Command, CommanderError } from 'commander';
import { ConsoleAuth } from './auth/console-auth.js';
import { registerDirectoryCommands } from './cli/directory-commands.js';
import { registerEventCommands } from './cli/event-commands.js';
import { registerSettingsCommands } from './cli/settings-commands.js';
import { out, withNode } from './cli/shared.js';
import { registerTokenCommands } from './cli/token-commands.js';
import { resolveDataDir, resolveServe } from './config.js';
import { servingPid } from './data-dir.js';
import { runningConsoleUrl, serve } from './serve.js';
import { registerSimulate } from './simulate/command.js';

/**
 * `scimdesk`, the headless entry. Other tools script against this CLI, so its commands, flags and
 * output lines are a contract (see README "CLI").
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
    .action(async (flags: { data?: string; host?: string; port?: string; consolePort?: string; console?: boolean }) => {
      const opts = resolveServe(flags, process.env);
      const running = await serve(opts);
      out(`Data directory: ${opts.dataDir}`);
      out(`SCIM endpoint: ${running.scimUrl}`);
      if (running.loginUrl) {
        out(`Console: ${running.consoleUrl} (loopback only)`);
        out(`Console login (one-time link, valid 10 minutes): ${running.loginUrl}`);
      }
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

  program
    .command('console-link')
    .description('print a new one-time login link for the running node’s web console')
    .option('--data <dir>', 'data directory (env SCIMDESK_DATA; default: the OS app-data dir)')
    .action(async (flags: { data?: string }) => {
      const dir = resolveDataDir(flags.data, process.env);
      const consoleUrl = servingPid(dir) === null ? null : runningConsoleUrl(dir);
      if (!consoleUrl) throw new Error(`no scimdesk serve with a console is running on ${dir}`);
      const code = await withNode(flags.data, (node) => new ConsoleAuth(node.db).createLoginCode());
      out(`${consoleUrl}/login?code=${code}`);
    });

  registerTokenCommands(program);
  registerDirectoryCommands(program);
  registerEventCommands(program);
  registerSettingsCommands(program);
  registerSimulate(program);

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
