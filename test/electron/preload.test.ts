import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScimDeskBridge } from '../../electron/preload.js';
import { CONSOLE_METHODS } from '../../server/console/methods.js';

const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    listeners,
    exposeInMainWorld: vi.fn(),
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, params: unknown) => ({ ok: true, value: { channel, params } })),
      on: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(fn);
      }),
      removeListener: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(fn);
      }),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld: fake.exposeInMainWorld }, ipcRenderer: fake.ipcRenderer }));

let bridge: ScimDeskBridge;
beforeAll(async () => {
  await import('../../electron/preload.js');
  expect(fake.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, value] = fake.exposeInMainWorld.mock.calls[0] ?? [];
  expect(key).toBe('scimdesk');
  bridge = value as ScimDeskBridge;
});

/** Every value reachable from the bridge, to prove ipcRenderer (or a piece of it) is not among them. */
function reachable(v: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
    if (seen.has(v)) return seen;
    seen.add(v);
    for (const key of Object.keys(v)) reachable((v as Record<string, unknown>)[key], seen);
  }
  return seen;
}

describe('preload bridge', () => {
  it('exposes only `methods` and `on`, never ipcRenderer or its functions', () => {
    expect(Object.keys(bridge).sort()).toEqual(['methods', 'on']);
    const all = reachable(bridge);
    for (const v of [fake.ipcRenderer, ...Object.values(fake.ipcRenderer)]) expect(all.has(v)).toBe(false);
  });

  it('has exactly one function per contract method', () => {
    expect(Object.keys(bridge.methods).sort()).toEqual([...CONSOLE_METHODS].sort());
    for (const fn of Object.values(bridge.methods)) expect(typeof fn).toBe('function');
  });

  it.each(CONSOLE_METHODS.map((m) => [m]))('%s invokes console:<method> with the params', async (method) => {
    fake.ipcRenderer.invoke.mockClear();
    const fn = bridge.methods[method] as (p: unknown) => Promise<unknown>;
    const r = await fn({ probe: method });
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(`console:${method}`, { probe: method });
    expect(r).toEqual({ ok: true, value: { channel: `console:${method}`, params: { probe: method } } });
  });

  it('on() subscribes to console-push:<event>, drops the IPC event argument and unsubscribes', () => {
    const listener = vi.fn();
    const off = bridge.on('events.appended', listener);
    const forwarders = fake.listeners.get('console-push:events.appended');
    expect(forwarders?.size).toBe(1);
    const ipcEvent = { sender: { send: vi.fn() }, ports: [] };
    for (const fn of forwarders ?? []) fn(ipcEvent, { id: 7 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ id: 7 }]);
    off();
    expect(fake.listeners.get('console-push:events.appended')?.size).toBe(0);
  });

  it('on() refuses channels outside the contract', () => {
    fake.ipcRenderer.on.mockClear();
    expect(() => bridge.on('console:tokens.create' as 'events.appended', () => {})).toThrow(/unknown console event/);
    expect(fake.ipcRenderer.on).not.toHaveBeenCalled();
  });
});
