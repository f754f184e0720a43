import { describe, expect, it } from 'vitest';
import { invokeConsole } from '../../../server/console/handlers.js';
import { consoleHandlers } from '../../helpers/console.js';
import { testNode } from '../../helpers/node.js';

async function console_() {
  const t = await testNode();
  const handlers = consoleHandlers(t.node, { startedAt: new Date(0).toISOString(), scimUrl: () => t.base });
  return { t, call: (params: unknown) => invokeConsole(handlers, 'settings.update', params) };
}

describe('settings.update: the console form saves every setting at once', () => {
  it('writes several settings in one call and answers the new view', async () => {
    const { t, call } = await console_();
    const r = await call({ settings: { autoLink: true, eventRetentionDays: 45, rateLimit: { perSecond: 5, burst: 10 } } });
    expect(r.ok && r.value.settings).toMatchObject({ autoLink: true, eventRetentionDays: 45, rateLimit: { perSecond: 5, burst: 10 } });
    expect(t.node.settings.get()).toMatchObject({ autoLink: true, eventRetentionDays: 45, rateLimit: { perSecond: 5, burst: 10 } });
  });

  it('writes nothing when one value is bad, and names that setting', async () => {
    const { t, call } = await console_();
    const before = t.node.settings.get();
    const r = await call({ settings: { autoLink: true, eventRetentionDays: 0 } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('invalid');
    expect(!r.ok && r.error.field).toBe('eventRetentionDays');
    expect(t.node.settings.get()).toEqual(before);
  });

  it('refuses an unknown key before anything is written', async () => {
    const { t, call } = await console_();
    const before = t.node.settings.get();
    const r = await call({ settings: { autoLink: true, nope: 1 } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.field).toBe('settings.nope');
    expect(t.node.settings.get()).toEqual(before);
  });
});
