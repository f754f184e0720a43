import { beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { hrefOf, parseHash } from '../../renderer/app/routes';
import { createAppStore } from '../../renderer/app/store';
import { matchesFilter } from '../../renderer/features/events/filter';
import { filterFromQuery, parseStatuses, queryOfFilter } from '../../renderer/features/events/url';
import { type FakeClient, fakeClient, summary } from './fake-client';

let client: FakeClient;
beforeEach(() => {
  client = fakeClient();
  client.handle('events.list', () => ({ items: [{ ...summary(7, { status: 409 }), notes: [], changes: [] }], nextCursor: null }));
  client.handle('events.get', (p) => ({
    ...summary((p as { id: number }).id),
    notes: [],
    changes: [],
    requestHeaders: {},
    requestBody: null,
    requestBodyReceived: null,
    responseHeaders: {},
    responseBody: null,
  }));
  setClient(client);
});

describe('deep links', () => {
  it('parses a screen, an item and a filter query, and writes the same link back', () => {
    const href = hrefOf('events', 123, { status: '400,409', since: '2026-01-01T00:00:00.000Z', user: 'a b@example.com' });
    expect(href).toBe('#/events/123?status=400%2C409&since=2026-01-01T00%3A00%3A00.000Z&user=a+b%40example.com');
    expect(parseHash(href)).toEqual({
      screen: 'events',
      param: '123',
      query: { status: '400,409', since: '2026-01-01T00:00:00.000Z', user: 'a b@example.com' },
    });
    expect(parseHash('#/members/u%2F1')).toEqual({ screen: 'members', param: 'u/1', query: {} });
    expect(parseHash('#/members/%E0%A4%A')).toEqual({ screen: 'members', param: null, query: {} });
    expect(parseHash('#/nowhere?x=1')).toEqual({ screen: 'overview', param: null, query: {} });
  });

  it('maps an event filter to query keys and back, dropping what is malformed', () => {
    const f = filterFromQuery({ status: '409, 400,abc,409', class: '4', token: 't1', user: 'alice', since: '2026-01-01T00:00:00Z' });
    expect(f).toEqual({ statuses: [409, 400], statusClass: 4, tokenId: 't1', userName: 'alice', since: '2026-01-01T00:00:00Z' });
    expect(queryOfFilter(f)).toEqual({ status: '409,400', class: '4', token: 't1', user: 'alice', since: '2026-01-01T00:00:00Z' });
    expect(filterFromQuery({ class: '9', status: '4xx' })).toEqual({});
    expect(parseStatuses('429')).toEqual([429]);
    expect(parseStatuses('99, 600, 1000')).toEqual([]);
  });

  it('keeps live rows to the exact codes of the filter', () => {
    expect(matchesFilter({ statuses: [400, 409] }, summary(1, { status: 409 }))).toBe(true);
    expect(matchesFilter({ statuses: [400, 409] }, summary(1, { status: 404 }))).toBe(false);
  });
});

describe('events route', () => {
  it('loads the filter and opens the event a link names, and reloads only when the filter changes', async () => {
    const store = createAppStore();
    await store.getState().openEventsRoute('7', { status: '409' });
    expect(store.getState().eventFilter).toEqual({ statuses: [409] });
    expect(store.getState().selectedEventId).toBe(7);
    expect(store.getState().eventDetail.status).toBe('ready');
    expect(client.calls.map((c) => c.method)).toEqual(['events.list', 'events.get']);
    expect(client.calls[0]?.params).toEqual({ filter: { statuses: [409] }, limit: 500 });

    // Closing the detail (same filter) reloads nothing.
    await store.getState().openEventsRoute(null, { status: '409' });
    expect(store.getState().selectedEventId).toBeNull();
    expect(client.calls).toHaveLength(2);

    // A cleared filter reloads the list and leaves no detail open.
    await store.getState().openEventsRoute(null, {});
    expect(store.getState().eventFilter).toEqual({});
    expect(store.getState().eventDetail.status).toBe('idle');
    expect(client.calls.map((c) => c.method)).toEqual(['events.list', 'events.get', 'events.list']);
  });
});
