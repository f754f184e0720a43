import { describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { CONSOLE_METHODS } from '../../../server/console/methods.js';
import { ConsoleInputError, parseParams } from '../../../server/console/params.js';
import { CONSOLE_PARAMS, SETTING_KEYS } from '../../../server/console/schemas.js';
import { SETTING_KEYS as SERVICE_SETTING_KEYS } from '../../../server/settings/settings.js';
import { consoleHandlers } from '../../helpers/console.js';
import { testNode } from '../../helpers/node.js';

type Case = [method: keyof typeof CONSOLE_PARAMS, params: unknown, field: string | undefined, message: string];

/** Each row: a console call with bad parameters, the field the error names and its exact message. */
const ERRORS: Case[] = [
  ['tokens.create', {}, 'label', 'label is required'],
  ['tokens.create', { label: '   ' }, 'label', 'label is required'],
  ['tokens.create', { label: 7 }, 'label', 'label is required'],
  ['tokens.create', { label: 'x', expiresInDays: 0 }, 'expiresInDays', 'expiresInDays must be a number from 1 to 3650'],
  ['tokens.create', { label: 'x', expiresInDays: '5' }, 'expiresInDays', 'expiresInDays must be a number from 1 to 3650'],
  ['tokens.create', { label: 'x', allowedCidrs: '10.0.0.0/8' }, 'allowedCidrs', 'allowedCidrs must be a list of text values'],
  ['tokens.create', { label: 'x', allowedCidrs: ['10.0.0.0/8', 3] }, 'allowedCidrs', 'allowedCidrs must be a list of text values'],
  ['tokens.rotate', { id: 'a' }, 'graceHours', 'graceHours is required'],
  ['tokens.rotate', { id: 'a', graceHours: 24 * 90 + 1 }, 'graceHours', 'graceHours must be a number from 0 to 2160'],
  ['tokens.rotate', { id: 'a', graceHours: Number.NaN }, 'graceHours', 'graceHours must be a number from 0 to 2160'],
  ['node.traffic', { minutes: 1441 }, 'minutes', 'minutes must be a number from 1 to 1440'],
  ['mappings.set', { group: 'Admins' }, 'role', 'role is required'],
  ['mappings.set', { group: 'Admins', role: 'root' }, 'role', 'role must be admin, publisher, member or null'],
  ['mappings.preview', { role: 'admin' }, 'group', 'group is required'],
  ['members.list', { role: 'root' }, 'role', 'role must be admin, publisher, member or null'],
  ['members.list', { active: 'yes' }, 'active', 'active must be true or false'],
  ['members.list', { search: 5 }, 'search', 'search must be text'],
  ['members.list', { limit: 0 }, 'limit', 'limit must be a number from 1 to 1000'],
  ['members.setActive', { id: 'u' }, 'active', 'active is required'],
  ['members.setActive', { id: 'u', active: 1 }, 'active', 'active must be true or false'],
  ['conflicts.link', { conflictId: 0 }, 'conflictId', `conflictId must be a number from 1 to ${Number.MAX_SAFE_INTEGER}`],
  ['events.get', {}, 'id', 'id is required'],
  ['events.timeline', {}, 'id', 'id is required'],
  ['events.list', { filter: { statusClass: 6 } }, 'filter.statusClass', 'filter.statusClass must be a number from 2 to 5'],
  ['events.list', { filter: { method: 1 } }, 'filter.method', 'filter.method must be text'],
  ['events.export', { format: 'xml' }, 'format', 'format must be one of jsonl, csv'],
  ['simulate.run', { idp: 'onelogin' }, 'idp', 'idp must be one of okta, entra'],
  ['simulate.run', { idp: 'okta', target: { url: 'http://x' } }, 'target.token', 'target.token is required'],
  ['oauth.rotate', { id: 'c', graceHours: -1 }, 'graceHours', 'graceHours must be a number from 0 to 2160'],
  ['oauth.revoke', { id: 'c', secretId: 9 }, 'secretId', 'secretId must be text'],
  [
    'settings.set',
    { key: 'nope', value: 1 },
    'key',
    expect.stringMatching(/^key must be one of deletePolicy, autoLink, /) as unknown as string,
  ],
  ['settings.setListener', { port: 70000 }, 'port', 'port must be a number from 0 to 65535'],
  ['settings.setListener', { consolePort: 'x' }, 'consolePort', 'consolePort must be a number from 0 to 65535'],
  ['settings.setListener', { host: ' ' }, 'host', 'host is required'],
  ['settings.setListener', { tlsCert: '/c.pem' }, 'tlsCert', 'tlsCert must be set together with tlsKey (or both cleared)'],
  ['settings.setListener', { tlsCert: null, tlsKey: '/k.pem' }, 'tlsCert', 'tlsCert must be set together with tlsKey (or both cleared)'],
  ['settings.setListener', { tlsCert: 5, tlsKey: '/k.pem' }, 'tlsCert', 'tlsCert is required'],
];

describe('console parameter schemas', () => {
  it('declares one schema per contract method, and nothing else', () => {
    expect(Object.keys(CONSOLE_PARAMS).sort()).toEqual([...CONSOLE_METHODS].sort());
  });

  it('accepts exactly the settings the settings service knows', () => {
    expect([...SETTING_KEYS]).toEqual(SERVICE_SETTING_KEYS);
  });

  it.each(ERRORS)('%s %j: field %s, "%s"', (method, params, field, message) => {
    let caught: unknown;
    try {
      parseParams(method, params);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConsoleInputError);
    expect(caught).toMatchObject({ field, message });
  });

  it('reads what it accepts as the handlers expect it', () => {
    expect(parseParams('tokens.create', { label: 'IdP', extra: 1 })).toEqual({ label: 'IdP', allowedCidrs: null });
    expect(parseParams('members.list', { role: null, active: null, search: '' })).toEqual({
      role: undefined,
      active: undefined,
      search: undefined,
    });
    expect(parseParams('members.list', { role: 'none', limit: 5 })).toEqual({ role: 'none', limit: 5 });
    expect(parseParams('events.list', { filter: null })).toEqual({ filter: {} });
    expect(parseParams('events.list', { filter: { statusClass: 4.7, text: '' } })).toEqual({
      filter: { statusClass: 4, text: undefined },
    });
    expect(parseParams('settings.setListener', { host: ' 0.0.0.0 ', port: 8443.9, tlsCert: '', tlsKey: null })).toEqual({
      host: '0.0.0.0',
      port: 8443,
      tlsCert: null,
      tlsKey: null,
    });
    // Not an object at all reads as no parameters, as the transports always did.
    expect(parseParams('node.traffic', 'junk')).toEqual({});
  });

  it('answers the console error shape through invokeConsole, before the handler runs', async () => {
    const t = await testNode();
    const handlers = consoleHandlers(t.node, { startedAt: new Date(0).toISOString(), scimUrl: () => t.base });
    const before = t.node.tokens.list().length;
    expect(await invokeConsole(handlers, 'tokens.create', { label: 'x', expiresInDays: 0 })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'expiresInDays must be a number from 1 to 3650', field: 'expiresInDays' },
    });
    expect(t.node.tokens.list()).toHaveLength(before);
    const made = await invokeConsole(handlers, 'tokens.create', { label: 'x', expiresInDays: 2 });
    expect(made).toMatchObject({ ok: true, value: { label: 'x' } });
  });
});
