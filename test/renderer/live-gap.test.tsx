// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { httpClient } from '../../renderer/api/client';
import { startLive } from '../../renderer/app/live';
import { useStore } from '../../renderer/app/store';
import { EventsScreen } from '../../renderer/features/events/EventsScreen';
import { type FakeClient, fakeClient, summary } from './fake-client';
import { FakeEventSource } from './fake-event-source';

let client: FakeClient;
const initial = useStore.getState();
beforeEach(() => {
  useStore.setState(initial, true);
  client = fakeClient();
  client.handle('node.status', () => ({}) as never);
  setClient(client);
});
afterEach(() => {
  cleanup();
  setClient(null);
});

describe('the live tail falling behind', () => {
  it('the HTTP client reports the server’s "event: dropped" and a reconnect as gaps', () => {
    const c = httpClient({
      fetch,
      cookies: () => '',
      eventSource: (u) => new FakeEventSource(u) as unknown as EventSource,
      download: () => {},
    });
    const gaps: (number | null)[] = [];
    c.on('events.appended', () => {});
    const off = c.onGap((missed) => gaps.push(missed));
    const es = FakeEventSource.last;
    es?.fire('open');
    es?.fire('dropped', JSON.stringify({ count: 12 }));
    es?.fire('dropped', 'garbage');
    // EventSource reconnects on its own; what was pushed while it was away is lost too.
    es?.fire('open');
    off();
    es?.fire('dropped', JSON.stringify({ count: 3 }));
    expect(gaps).toEqual([12, null, null]);
  });

  it('shows that the tail fell behind and reloads the event list from the node', async () => {
    let listed = 0;
    client.handle('events.list', () => {
      listed++;
      const row = (id: number) => ({ ...summary(id), notes: [], changes: [] });
      return { items: listed === 1 ? [row(1)] : [row(3), row(2), row(1)], nextCursor: null };
    });
    const stop = startLive(useStore);
    render(<EventsScreen />);
    await act(async () => {});
    expect(listed).toBe(1);
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => {
      client.emitGap(40);
    });
    expect(listed).toBe(2);
    expect(useStore.getState().eventRows.map((e) => e.id)).toEqual([3, 2, 1]);
    const notice = screen.getByRole('alert');
    expect(notice.textContent).toContain('The live tail fell behind: 40 events were not pushed. The list was reloaded.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => {
      client.emitGap(null);
    });
    expect(screen.getByRole('alert').textContent).toContain(
      'The live tail reconnected; events may have been missed. The list was reloaded.',
    );
    stop();
  });
});
