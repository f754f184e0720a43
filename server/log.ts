import pino, { type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.js';
import { formatLogLine } from './log-line.js';

/** Human lines where a person reads the terminal; JSON for journald, Docker and log shippers. */
export const defaultLogFormat = (stream: { isTTY?: boolean }): LogFormat => (stream.isTTY ? 'pretty' : 'json');

/** A pino record as a human line: the message (prefixed with the level above info) and the error. */
export function prettyLine(record: Record<string, unknown>): string {
  const label = pino.levels.labels[Number(record.level)] ?? 'info';
  const err = record.err as { stack?: string; message?: string } | string | undefined;
  const detail = typeof err === 'object' && err !== null ? (err.stack ?? err.message) : err;
  return formatLogLine(`${Number(record.level) > 30 ? `${label.toUpperCase()} ` : ''}${String(record.msg ?? '')}`, detail);
}

/** A pino destination that writes each (already redacted) record as a human line. */
const prettyDestination = (out: NodeJS.WritableStream): pino.DestinationStream => ({
  write(chunk: string) {
    out.write(`${prettyLine(JSON.parse(chunk) as Record<string, unknown>)}\n`);
  },
});

/**
 * Logs (pino) to stdout: JSON records, or human lines for `pretty`; one format per destination, never
 * both. Redaction is configured here once, for the values of these structured fields (top level and
 * one level down): Authorization headers, cookies, passwords, secrets and token plaintext. It does not
 * touch message strings or a logged error's message and stack, so a call site must never interpolate
 * a credential into either (docs/security.md, "Logs").
 */
export function createLogger(level: LogLevel, format: LogFormat = 'json', destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { app: 'scimdesk' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'authorization',
          'headers.authorization',
          'headers.cookie',
          '*.authorization',
          'password',
          '*.password',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'client_secret',
        ],
        censor: '[REDACTED]',
      },
    },
    format === 'pretty' ? prettyDestination(destination) : (destination as pino.DestinationStream),
  );
}

/** Adapts a pino logger to the node's `(message, error?)` log function. */
export const logFn =
  (logger: Logger) =>
  (msg: string, err?: unknown): void => {
    if (err === undefined) logger.info(msg);
    else logger.error({ err: err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : String(err) }, msg);
  };
