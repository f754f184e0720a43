import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Structured JSON logs (pino) to stdout. Redaction is configured here once, for the values of these
 * structured fields (top level and one level down): Authorization headers, cookies, passwords,
 * secrets and token plaintext. It does not touch message strings or a logged error's message and
 * stack, so a call site must never interpolate a credential into either (docs/security.md, "Logs").
 */
export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stdout): Logger {
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
    destination as pino.DestinationStream,
  );
}

/** Adapts a pino logger to the node's `(message, error?)` log function. */
export const logFn =
  (logger: Logger) =>
  (msg: string, err?: unknown): void => {
    if (err === undefined) logger.info(msg);
    else logger.error({ err: err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : String(err) }, msg);
  };
