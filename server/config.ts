import envPaths from 'env-paths';

/** Where a node keeps its database when neither --data nor SCIMDESK_DATA says otherwise. */
export const defaultDataDir = (): string => envPaths('scimdesk', { suffix: '' }).data;

export interface ServeOptions {
  dataDir: string;
  host: string;
  port: number;
  consolePort: number | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parsePort(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

/** Precedence: command-line flags, then environment variables, then defaults. */
export function resolveServe(
  flags: { data?: string; host?: string; port?: string; consolePort?: string; console?: boolean },
  env: NodeJS.ProcessEnv,
): ServeOptions {
  const port = flags.port ?? env.SCIMDESK_PORT ?? '7643';
  return {
    dataDir: flags.data ?? env.SCIMDESK_DATA ?? defaultDataDir(),
    host: flags.host ?? env.SCIMDESK_HOST ?? '127.0.0.1',
    port: parsePort(port, flags.port ? '--port' : 'SCIMDESK_PORT'),
    consolePort: flags.console === false ? null : parsePort(flags.consolePort ?? '7644', '--console-port'),
  };
}

export const resolveDataDir = (flag: string | undefined, env: NodeJS.ProcessEnv): string => flag ?? env.SCIMDESK_DATA ?? defaultDataDir();
