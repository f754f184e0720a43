import type { EventSummary } from '../../server/console/contract';
import { getClient } from '../api/call';
import { useStore } from './store';

/**
 * The single live subscription: every push from the node lands in the store here and nowhere else.
 * Returns the unsubscribe function.
 */
export function startLive(store: typeof useStore = useStore): () => void {
  const client = getClient();
  let statusTimer: ReturnType<typeof setTimeout> | null = null;
  // Counts on the overview move with traffic; refresh them at most once a second, not per event.
  const refreshStatusSoon = () => {
    statusTimer ??= setTimeout(() => {
      statusTimer = null;
      void store.getState().loadStatus();
    }, 1000);
  };
  // A burst of pushes (an IdP's full sync) becomes one store update per frame, not one per event.
  let queue: EventSummary[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    flushTimer = null;
    const batch = queue;
    queue = [];
    const s = store.getState();
    s.appendLiveMany(batch);
    for (const e of batch) s.bumpTraffic(e);
    refreshStatusSoon();
  };
  const offs = [
    client.on('events.appended', (event) => {
      queue.push(event);
      flushTimer ??= setTimeout(flush, 16);
    }),
    client.on('alerts.raised', (alert) => {
      store.getState().addAlert(alert);
      refreshStatusSoon();
    }),
    client.on('simulate.step', (step) => store.getState().addSimStep(step)),
    // A gap (a slow reader's dropped pushes, or a reconnect) would otherwise leave holes in the tail.
    client.onGap((missed) => {
      void store.getState().liveFellBehind(missed);
      refreshStatusSoon();
    }),
  ];
  return () => {
    for (const off of offs) off();
    if (statusTimer) clearTimeout(statusTimer);
    if (flushTimer) clearTimeout(flushTimer);
  };
}
