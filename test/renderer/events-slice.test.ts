import { beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { createAppStore } from '../../renderer/app/store';
import { cleanFilter, matchesFilter } from '../../renderer/features/events/filter';
import { LIVE_LIMIT } from '../../renderer/features/events/slice';
import { addToTraffic } from '../../renderer/features/overview/slice';
import { type FakeClient, fakeClient, summary } from './fake-client';

let client: FakeClient;
beforeEach(() => {
  client = fakeClient();
  setClient(client);
});

describe('events slice: live tail', () => {
  it('prepends live events newest first and stays bounded, moving the paging cursor', () => {
    const store = createAppStore();
    for (let i = 1; i <= LIVE_LIMIT + 1000; i++) store.getState().appendLive(summary(i));
    const s = store.getState();
    expect(s.eventRows).toHaveLength(LIVE_LIMIT);
    expect(s.eventRows[0]?.id).toBe(LIVE_LIMIT + 1000);
    expect(s.eventRows.at(-1)?.id).toBe(1001);
    // Scrolling past the end pages the trimmed rows back in from the node.
    expect(s.eventCursor).toBe(1001);
  });

  it('ignores duplicates and rows older than the newest it holds', () => {
    const store = createAppStore();
    store.getState().appendLive(summary(5));
    store.getState().appendLive(summary(5));
    store.getState().appendLive(summary(4));
    expect(store.getState().eventRows.map((e) => e.id)).toEqual([5]);
  });

  it('buffers while paused and merges on resume', () => {
    const store = createAppStore();
    store.getState().appendLive(summary(1));
    store.getState().setEventsPaused(true);
    store.getState().appendLive(summary(2));
    store.getState().appendLive(summary(3));
    expect(store.getState().eventRows.map((e) => e.id)).toEqual([1]);
    expect(store.getState().eventsPending.map((e) => e.id)).toEqual([3, 2]);
    store.getState().setEventsPaused(false);
    expect(store.getState().eventRows.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(store.getState().eventsPending).toEqual([]);
  });

  it('keeps the pending buffer bounded too', () => {
    const store = createAppStore();
    store.getState().setEventsPaused(true);
    for (let i = 1; i <= LIVE_LIMIT + 10; i++) store.getState().appendLive(summary(i));
    expect(store.getState().eventsPending).toHaveLength(LIVE_LIMIT);
  });

  it('drops live events that do not match the filter', async () => {
    client.handle('events.list', () => ({ items: [], nextCursor: null }));
    const store = createAppStore();
    await store.getState().setEventFilter({ statusClass: 4, method: 'post' });
    store.getState().appendLive(summary(1, { status: 201, method: 'POST' }));
    store.getState().appendLive(summary(2, { status: 409, method: 'POST' }));
    store.getState().appendLive(summary(3, { status: 404, method: 'GET' }));
    expect(store.getState().eventRows.map((e) => e.id)).toEqual([2]);
  });
});

describe('events slice: loading', () => {
  it('sends the cleaned filter and pages older rows with the cursor', async () => {
    client.handle('events.list', (p) =>
      p.before === undefined
        ? { items: [summary(10), summary(9)].map((e) => ({ ...e, notes: [], changes: [] })), nextCursor: 9 }
        : { items: [{ ...summary(8), notes: [], changes: [] }], nextCursor: null },
    );
    const store = createAppStore();
    await store.getState().setEventFilter({ userName: ' alice ', method: '', text: '' });
    expect(client.calls[0]).toEqual({ method: 'events.list', params: { filter: { userName: 'alice' }, limit: 500 } });
    await store.getState().loadOlderEvents();
    expect(client.calls[1]?.params).toMatchObject({ before: 9 });
    expect(store.getState().eventRows.map((e) => e.id)).toEqual([10, 9, 8]);
    expect(store.getState().eventCursor).toBeNull();
    await store.getState().loadOlderEvents();
    expect(client.calls).toHaveLength(2);
  });

  it('keeps live rows that raced ahead of the first page', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    client.handle('events.list', () => ({ items: [{ ...summary(1), notes: [], changes: [] }], nextCursor: null }));
    const slow = client.call.bind(client);
    client.call = (async (m: never, p: never) => {
      await gate;
      return slow(m, p);
    }) as typeof client.call;
    const store = createAppStore();
    const loading = store.getState().loadEvents();
    store.getState().appendLive(summary(2));
    release();
    await loading;
    expect(store.getState().eventRows.map((e) => e.id)).toEqual([2, 1]);
  });

  it('records a load error', async () => {
    client.handle('events.list', () => ({ ok: false, error: { code: 'internal', message: 'disk full' } }));
    const store = createAppStore();
    await store.getState().loadEvents();
    expect(store.getState().eventsStatus).toBe('error');
    expect(store.getState().eventsError?.message).toBe('disk full');
  });
});

describe('filter matching', () => {
  it('matches exact fields the way the node does, and turns the live tail off for text search', () => {
    const e = summary(1, { status: 404, method: 'PATCH', userName: 'bob', resourceType: 'Group' });
    expect(matchesFilter({}, e)).toBe(true);
    expect(matchesFilter({ statusClass: 4 }, e)).toBe(true);
    expect(matchesFilter({ statusClass: 2 }, e)).toBe(false);
    expect(matchesFilter({ method: 'patch' }, e)).toBe(true);
    expect(matchesFilter({ userName: 'bo' }, e)).toBe(false);
    expect(matchesFilter({ resourceType: 'User' }, e)).toBe(false);
    expect(matchesFilter({ requestId: 'req-1' }, e)).toBe(true);
    expect(matchesFilter({ text: 'bob' }, e)).toBe(false);
    expect(cleanFilter({ method: '', userName: ' x ', statusClass: 5 })).toEqual({ userName: 'x', statusClass: 5 });
  });
});

describe('traffic buckets', () => {
  it('adds live requests to the current minute by status class and opens new minutes', () => {
    const t0 = '2025-01-01T12:00:00.000Z';
    let pts = [{ minute: t0, s2xx: 1, s3xx: 0, s4xx: 0, s5xx: 0 }];
    pts = addToTraffic(pts, summary(1, { time: '2025-01-01T12:00:30.000Z', status: 404 }));
    expect(pts).toEqual([{ minute: t0, s2xx: 1, s3xx: 0, s4xx: 1, s5xx: 0 }]);
    pts = addToTraffic(pts, summary(2, { time: '2025-01-01T12:01:05.000Z', status: 503 }));
    expect(pts[1]).toEqual({ minute: '2025-01-01T12:01:00.000Z', s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 1 });
  });
});
