import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { isObject } from './scim/json.js';

/** Where a node keeps its database when neither --data nor SCIMDESK_DATA says otherwise. */
export const defaultDataDir = (): string => envPaths('scimdesk', { suffix: '' }).data;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `pretty`: human lines; `json`: one pino record a line. Unset: pretty on a terminal, JSON otherwise. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Everything `serve` needs to start, after flags, env, the config file and defaults are merged. */
export interface ServeOptions {
  dataDir: string;
  host: string;
  port: number;
  consolePort: number | null;
  tlsCert?: string | null;
  tlsKey?: string | null;
  logLevel?: LogLevel;
  /** Undefined: decided by whether stdout is a terminal. */
  logFormat?: LogFormat;
  bodyLimitBytes?: number;
}

/** The data dir's config.json: the same keys as the flags, plus the request body limit. */
export interface FileConfig {
  host?: string;
  port?: number;
  consolePort?: number | null;
  tlsCert?: string | null;
  tlsKey?: string | null;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  bodyLimitBytes?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const configPath = (dataDir: string): string => join(dataDir, 'config.json');

export function parsePort(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

/** Checks a parsed config object key by key; `where` names the file in messages. */
export function validateFileConfig(raw: unknown, where: string): FileConfig {
  if (!isObject(raw)) throw new ConfigError(`${where} must hold a JSON object`);
  const out: FileConfig = {};
  const bad = (key: string, why: string): never => {
    throw new ConfigError(`${where}: "${key}" ${why}`);
  };
  for (const [key, v] of Object.entries(raw)) {
    switch (key) {
      case 'host':
        if (typeof v !== 'string' || !v) bad(key, 'must be a host name or address');
        out.host = v as string;
        break;
      case 'port':
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535) bad(key, 'must be a port number from 0 to 65535');
        out.port = v as number;
        break;
      case 'consolePort':
        if (v !== null && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535))
          bad(key, 'must be a port number or null (no console)');
        out.consolePort = v as number | null;
        break;
      case 'tlsCert':
      case 'tlsKey':
        if (v !== null && (typeof v !== 'string' || !v)) bad(key, 'must be a file path or null');
        out[key] = v as string | null;
        break;
      case 'logLevel':
        if (!(LOG_LEVELS as readonly unknown[]).includes(v)) bad(key, `must be one of ${LOG_LEVELS.join(', ')}`);
        out.logLevel = v as LogLevel;
        break;
      case 'logFormat':
        if (!(LOG_FORMATS as readonly unknown[]).includes(v)) bad(key, `must be one of ${LOG_FORMATS.join(', ')}`);
        out.logFormat = v as LogFormat;
        break;
      case 'bodyLimitBytes':
        if (!Number.isInteger(v) || (v as number) < 1024 || (v as number) > 64 * 1024 * 1024)
          bad(key, 'must be a whole number of bytes from 1024 to 67108864');
        out.bodyLimitBytes = v as number;
        break;
      default:
        bad(key, `is not a known setting (known: host, port, consolePort, tlsCert, tlsKey, logLevel, logFormat, bodyLimitBytes)`);
    }
  }
  if ((out.tlsCert == null) !== (out.tlsKey == null)) bad('tlsCert', 'and "tlsKey" must be set together');
  return out;
}

/** Reads and validates config.json; an absent file is an empty config, a bad one names key and reason. */
export function readConfigFile(dataDir: string): FileConfig {
  const file = configPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return validateFileConfig(raw, file);
}

/**
 * Merges `patch` into config.json (a `null` tlsCert/tlsKey clears TLS) after validating the result,
 * then writes it atomically with mode 0600. Listener changes apply when the node restarts.
 */
export function writeConfigFile(dataDir: string, patch: FileConfig): FileConfig {
  const file = configPath(dataDir);
  const next = validateFileConfig({ ...readConfigFile(dataDir), ...patch }, file);
  const staging = `${file}.tmp`;
  writeFileSync(staging, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  renameSync(staging, file);
  return next;
}

export interface ServeFlags {
  data?: string;
  host?: string;
  port?: string;
  consolePort?: string;
  console?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  logLevel?: string;
  logFormat?: string;
}

/** Precedence: command-line flags, then environment variables, then the config file, then defaults. */
export function resolveServe(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv,
  readFile: (dataDir: string) => FileConfig = readConfigFile,
): ServeOptions {
  const dataDir = flags.data ?? env.SCIMDESK_DATA ?? defaultDataDir();
  const file = readFile(dataDir);
  const port = flags.port ?? env.SCIMDESK_PORT;
  const logLevel = flags.logLevel ?? env.SCIMDESK_LOG_LEVEL ?? file.logLevel ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const logFormat = flags.logFormat ?? env.SCIMDESK_LOG_FORMAT ?? file.logFormat;
  if (logFormat !== undefined && !(LOG_FORMATS as readonly string[]).includes(logFormat))
    throw new ConfigError(`log format must be one of ${LOG_FORMATS.join(', ')}, got "${logFormat}"`);
  const tlsCert = flags.tlsCert ?? env.SCIMDESK_TLS_CERT ?? file.tlsCert ?? null;
  const tlsKey = flags.tlsKey ?? env.SCIMDESK_TLS_KEY ?? file.tlsKey ?? null;
  if ((tlsCert === null) !== (tlsKey === null)) throw new ConfigError('TLS needs both a certificate and a key (--tls-cert and --tls-key)');
  return {
    dataDir,
    host: flags.host ?? env.SCIMDESK_HOST ?? file.host ?? '127.0.0.1',
    port: port !== undefined ? parsePort(port, flags.port !== undefined ? '--port' : 'SCIMDESK_PORT') : (file.port ?? 7643),
    consolePort:
      flags.console === false
        ? null
        : flags.consolePort !== undefined
          ? parsePort(flags.consolePort, '--console-port')
          : file.consolePort === undefined
            ? 7644
            : file.consolePort,
    tlsCert,
    tlsKey,
    logLevel: logLevel as LogLevel,
    ...(logFormat === undefined ? {} : { logFormat: logFormat as LogFormat }),
    bodyLimitBytes: file.bodyLimitBytes ?? 1024 * 1024,
  };
}

export const resolveDataDir = (flag: string | undefined, env: NodeJS.ProcessEnv): string => flag ?? env.SCIMDESK_DATA ?? defaultDataDir();
