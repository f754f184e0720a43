import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveServe } from '../../server/config.js';
import { createLogger, defaultLogFormat, logFn, prettyLine } from '../../server/log.js';
import { formatLogLine } from '../../server/log-line.js';

function sink(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.trimEnd().split('\n') };
}

describe('serve logging: one format per destination', () => {
  it('picks human lines on a terminal and JSON otherwise', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
  });

  it('json: every line is a pino record, credentials redacted', () => {
    const out = sink();
    const logger = createLogger('info', 'json', out.stream);
    logger.info({ scimUrl: 'http://127.0.0.1:1/api/scim/v2' }, 'SCIM endpoint: http://127.0.0.1:1/api/scim/v2');
    logger.info({ headers: { authorization: 'Bearer secret-value' } }, 'request');
    logFn(logger)('could not send', new Error('boom'));
    const records = out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ level: 30, app: 'scimdesk', scimUrl: 'http://127.0.0.1:1/api/scim/v2' });
    expect(records[1]).toMatchObject({ headers: { authorization: '[REDACTED]' } });
    expect(records[2]).toMatchObject({ level: 50, msg: 'could not send', err: { message: 'boom' } });
  });

  it('pretty: human lines only, through the one line formatter, redaction kept', () => {
    const out = sink();
    const logger = createLogger('info', 'pretty', out.stream);
    logger.info({ scimUrl: 'x' }, 'SCIM endpoint: x');
    logger.debug('not at this level');
    logger.warn({ password: 'hunter2' }, 'careful');
    const err = new Error('boom');
    logFn(logger)('could not send', err);
    const lines = out.lines();
    expect(lines[0]).toBe('SCIM endpoint: x');
    expect(lines[1]).toBe('WARN careful');
    expect(lines.slice(2).join('\n')).toBe(formatLogLine('ERROR could not send', err));
    expect(lines.join('\n')).not.toContain('hunter2');
    for (const l of lines) expect(() => JSON.parse(l)).toThrow();
  });

  it('formats one line the same way for every host', () => {
    expect(formatLogLine('started')).toBe('started');
    expect(formatLogLine('failed', 'EADDRINUSE')).toBe('failed: EADDRINUSE');
    expect(formatLogLine('failed', null)).toBe('failed');
    expect(prettyLine({ level: 60, msg: 'dying', err: { message: 'disk full' } })).toBe('FATAL dying: disk full');
  });

  it('takes the format from --log-format, then SCIMDESK_LOG_FORMAT, then config.json; unset means decide by the terminal', () => {
    const file = (logFormat?: 'json' | 'pretty') => () => (logFormat ? { logFormat } : {});
    expect(resolveServe({ data: '/d' }, {}, file()).logFormat).toBeUndefined();
    expect(resolveServe({ data: '/d' }, {}, file('pretty')).logFormat).toBe('pretty');
    expect(resolveServe({ data: '/d' }, { SCIMDESK_LOG_FORMAT: 'json' }, file('pretty')).logFormat).toBe('json');
    expect(resolveServe({ data: '/d', logFormat: 'pretty' }, { SCIMDESK_LOG_FORMAT: 'json' }, file()).logFormat).toBe('pretty');
    expect(() => resolveServe({ data: '/d', logFormat: 'xml' }, {}, file())).toThrow(
      new ConfigError('log format must be one of json, pretty, got "xml"'),
    );
  });
});
