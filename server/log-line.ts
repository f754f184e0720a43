/**
 * The one human log line: the message, then the error's stack (or its text) after a colon. The
 * node's fallback logger, the Electron host and `serve --log-format pretty` all print through it.
 */
export function formatLogLine(msg: string, err?: unknown): string {
  const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined || err === null ? '' : String(err);
  return `${msg}${detail ? `: ${detail}` : ''}`;
}
