import { beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { createAppStore } from '../../renderer/app/store';
import type { CreatedToken, SimSummary } from '../../server/console/contract';
import { type FakeClient, fakeClient } from './fake-client';

let client: FakeClient;
beforeEach(() => {
  client = fakeClient();
  client.handle('tokens.list', () => []);
  client.handle('tokens.hygiene', () => []);
  setClient(client);
});

const created: CreatedToken = {
  id: 'new',
  label: 'Okta (rotated)',
  prefix: 'abc',
  createdAt: '2025-01-01T00:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  lastUsedIp: null,
  requestCount: 0,
  rateLimitedCount: 0,
  allowedCidrs: null,
  rotatesId: 'old',
  token: 'scimdesk_secret',
};

describe('tokens slice: guided rotation', () => {
  it('creates the successor, tests it, then revokes the old token', async () => {
    client.handle('tokens.rotate', () => created);
    client.handle('tokens.test', () => ({ ok: true, status: 200, detail: 'GET /Users answered 200' }));
    client.handle('tokens.revoke', () => ({ revoked: true }));
    const store = createAppStore();
    store.getState().startRotation('old', 'Okta');
    await store.getState().rotateCreate(24);
    expect(store.getState().rotation).toMatchObject({ step: 'created', created: { token: 'scimdesk_secret' } });
    await store.getState().rotateTest();
    expect(store.getState().rotation?.step).toBe('tested');
    await store.getState().rotateRevokeOld();
    expect(store.getState().rotation?.step).toBe('done');
    const sent = client.calls.filter((c) => !c.method.startsWith('tokens.list') && c.method !== 'tokens.hygiene');
    expect(sent).toEqual([
      { method: 'tokens.rotate', params: { id: 'old', graceHours: 24 } },
      { method: 'tokens.test', params: { token: 'scimdesk_secret' } },
      { method: 'tokens.revoke', params: { id: 'old' } },
    ]);
  });

  it('stays on the test step when the new token fails, and never revokes', async () => {
    client.handle('tokens.rotate', () => created);
    client.handle('tokens.test', () => ({ ok: false, status: 401, detail: 'unauthorized' }));
    const store = createAppStore();
    store.getState().startRotation('old', 'Okta');
    await store.getState().rotateCreate(0);
    await store.getState().rotateTest();
    expect(store.getState().rotation).toMatchObject({ step: 'created', test: { ok: false, status: 401 } });
    expect(client.calls.some((c) => c.method === 'tokens.revoke')).toBe(false);
  });

  it('keeps a created secret only until it is dismissed', async () => {
    client.handle('tokens.create', () => created);
    const store = createAppStore();
    const r = await store.getState().createToken({ label: 'x' });
    expect(r.ok).toBe(true);
    expect(store.getState().revealedToken?.token).toBe('scimdesk_secret');
    store.getState().dismissRevealed();
    expect(store.getState().revealedToken).toBeNull();
  });
});

describe('mappings slice: preview before save', () => {
  it('previews a change, saves exactly that change, then reloads', async () => {
    const delta = [{ userId: 'u1', userName: 'alice', from: null, to: 'admin' as const, group: 'Eng' }];
    client.handle('mappings.preview', () => delta);
    client.handle('mappings.set', () => delta);
    client.handle('mappings.list', () => ({ mappings: [], warnings: [], groupNames: [] }));
    const store = createAppStore();
    await store.getState().previewMapping({ group: 'Eng', role: 'admin' });
    expect(store.getState().mappingPreview).toMatchObject({ status: 'ready', data: delta });
    expect(client.calls.some((c) => c.method === 'mappings.set')).toBe(false);
    expect(await store.getState().saveMapping()).toBe(true);
    expect(client.calls.map((c) => c.method)).toEqual(['mappings.preview', 'mappings.set', 'mappings.list']);
    expect(client.calls[1]?.params).toEqual({ group: 'Eng', role: 'admin' });
    expect(store.getState().mappingChange).toBeNull();
    expect(store.getState().lastSaved?.deltas).toEqual(delta);
  });

  it('keeps the change and shows the error when saving fails', async () => {
    client.handle('mappings.preview', () => []);
    client.handle('mappings.set', () => ({ ok: false, error: { code: 'invalid', message: 'group name too long', field: 'group' } }));
    const store = createAppStore();
    await store.getState().previewMapping({ group: 'x', role: null });
    expect(await store.getState().saveMapping()).toBe(false);
    expect(store.getState().mappingChange).toEqual({ group: 'x', role: null });
    expect(store.getState().mappingSaveError?.field).toBe('group');
  });
});

describe('simulate slice', () => {
  it('collects pushed steps of the running run in order, then takes the summary', async () => {
    const store = createAppStore();
    let finish: (v: SimSummary) => void = () => {};
    client.handle(
      'simulate.run',
      () =>
        new Promise<SimSummary>((r) => {
          finish = r;
        }),
    );
    const step = (index: number, runId = 'r1') => ({
      runId,
      index,
      name: `s${index}`,
      method: 'GET',
      path: '/Users',
      status: 200,
      ok: true,
      detail: '',
      requestBody: null,
      requestId: null,
    });
    const running = store.getState().runSimulation('okta');
    expect(store.getState().simRunning).toBe(true);
    store.getState().addSimStep(step(1));
    store.getState().addSimStep(step(0));
    store.getState().addSimStep(step(0, 'someone-else'));
    expect(store.getState().simSteps.map((s) => s.index)).toEqual([0, 1]);
    finish({ runId: 'r1', idp: 'okta', target: 'x', passed: 2, failed: 0, steps: [step(0), step(1)] });
    await running;
    expect(store.getState().simRunning).toBe(false);
    expect(store.getState().simSummary?.passed).toBe(2);
  });
});
