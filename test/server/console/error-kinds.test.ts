import { describe, expect, it } from 'vitest';
import { type ConsoleHandlers, invokeConsole } from '../../../server/console/handlers.js';
import { ConsoleInputError } from '../../../server/console/params.js';
import { InputError } from '../../../server/input-error.js';
import { ScimError } from '../../../server/scim/errors.js';
import { testNode } from '../../helpers/node.js';

/** Issue #15 item 19: a console error's kind is its class, never `e.constructor === Error`. */
const throwing = (error: unknown): ConsoleHandlers =>
  ({
    'tokens.list': async () => {
      throw error;
    },
  }) as unknown as ConsoleHandlers;

describe('console error kinds', () => {
  it.each([
    ['an InputError', new InputError('no active token with id t1'), { code: 'invalid', message: 'no active token with id t1' }],
    [
      'a ConsoleInputError with a field',
      new ConsoleInputError('label is required', 'label'),
      { code: 'invalid', message: 'label is required', field: 'label' },
    ],
    ['a ScimError 409', new ScimError(409, 'uniqueness', 'taken'), { code: 'conflict', message: 'taken' }],
    [
      'a plain Error (a bug)',
      new Error('SQLITE_ERROR: no such column: secret_hash'),
      { code: 'internal', message: 'internal error; see the node log' },
    ],
    [
      'a TypeError (a bug)',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      { code: 'internal', message: 'internal error; see the node log' },
    ],
    ['a thrown string', 'boom', { code: 'internal', message: 'internal error; see the node log' }],
  ])('%s', async (_name, error, expected) => {
    const logged: string[] = [];
    const out = await invokeConsole(throwing(error), 'tokens.list', {}, (msg) => logged.push(msg));
    expect(out).toEqual({ ok: false, error: expected });
    expect(logged).toEqual(expected.code === 'internal' ? ['console method tokens.list failed'] : []);
  });

  it('services refuse admin mistakes with InputError, which the console shows', async () => {
    const t = await testNode();
    expect(() => t.node.tokens.rotate('nope', 0)).toThrow(InputError);
    expect(() => t.node.tokens.create({ label: '' })).toThrow(InputError);
  });
});
