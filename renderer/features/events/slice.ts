import type { ConsoleError, EventDetail, EventFilter, EventSummary } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';
import { cleanFilter, matchesFilter } from './filter';
import { filterFromQuery, sameFilter } from './url';

/** The live tail keeps at most this many rows; older rows are paged back in from the node on scroll. */
export const LIVE_LIMIT = 5000;
const PAGE = 500;

export interface EventsSlice {
  /** Newest first. Live pushes are EventSummary; paged history rows carry more, but the list needs only this. */
  eventRows: EventSummary[];
  /** `before` cursor for the next older page; null when the oldest row is loaded. */
  eventCursor: number | null;
  eventsStatus: 'idle' | 'loading' | 'ready' | 'error';
  eventsError: ConsoleError | null;
  eventFilter: EventFilter;
  eventsPaused: boolean;
  /** Live rows that arrived while paused, newest first (bounded too). */
  eventsPending: EventSummary[];
  selectedEventId: number | null;
  eventDetail: Remote<EventDetail>;
  /** Set when the live tail lost pushes (see liveFellBehind); cleared when the admin dismisses it. */
  eventsGap: { missed: number | null } | null;
  setEventFilter(filter: EventFilter): Promise<void>;
  loadEvents(): Promise<void>;
  loadOlderEvents(): Promise<void>;
  appendLive(event: EventSummary): void;
  /** Many pushes in one store update (live.ts batches a burst per frame). Oldest first, as they arrived. */
  appendLiveMany(events: EventSummary[]): void;
  setEventsPaused(paused: boolean): void;
  /** The push stream lost events: say so, and reload the list from the node so no row is silently missing. */
  liveFellBehind(missed: number | null): Promise<void>;
  dismissEventsGap(): void;
  selectEvent(id: number | null): Promise<void>;
  /**
   * Makes the view what the URL says (#/events/<id>?<filter>): reloads the list only when the filter
   * changed, and opens or closes the detail. A reload or a pasted link lands on the same view.
   */
  openEventsRoute(param: string | null, query: Record<string, string>): Promise<void>;
}

export const createEventsSlice: Slice<EventsSlice> = (set, get) => ({
  eventRows: [],
  eventCursor: null,
  eventsStatus: 'idle',
  eventsError: null,
  eventFilter: {},
  eventsPaused: false,
  eventsPending: [],
  selectedEventId: null,
  eventDetail: idle(),
  eventsGap: null,

  async setEventFilter(filter) {
    set({ eventFilter: cleanFilter(filter) });
    await get().loadEvents();
  },

  async loadEvents() {
    const filter = get().eventFilter;
    set({ eventsStatus: 'loading', eventsError: null });
    const r = await call('events.list', { filter, limit: PAGE });
    if (get().eventFilter !== filter) return; // a newer filter is loading
    if (!r.ok) {
      set({ eventsStatus: 'error', eventsError: r.error });
      return;
    }
    // Live rows that raced ahead of the first page stay on top.
    const newest = r.value.items[0]?.id ?? 0;
    const raced = get().eventRows.filter((e) => e.id > newest && matchesFilter(filter, e));
    set({ eventRows: [...raced, ...r.value.items], eventCursor: r.value.nextCursor, eventsStatus: 'ready', eventsPending: [] });
  },

  async loadOlderEvents() {
    const { eventCursor, eventsStatus, eventFilter } = get();
    if (eventCursor === null || eventsStatus === 'loading') return;
    set({ eventsStatus: 'loading' });
    const r = await call('events.list', { filter: eventFilter, before: eventCursor, limit: PAGE });
    if (get().eventFilter !== eventFilter) return;
    if (!r.ok) {
      set({ eventsStatus: 'error', eventsError: r.error });
      return;
    }
    set({ eventRows: [...get().eventRows, ...r.value.items], eventCursor: r.value.nextCursor, eventsStatus: 'ready' });
  },

  appendLive(event) {
    get().appendLiveMany([event]);
  },

  appendLiveMany(events) {
    const s = get();
    // Ids only grow, so anything at or below the newest row we hold is a duplicate.
    let newest = Math.max(s.eventsPending[0]?.id ?? 0, s.eventRows[0]?.id ?? 0);
    const fresh: EventSummary[] = [];
    for (const e of events) {
      if (e.id <= newest || !matchesFilter(s.eventFilter, e)) continue;
      newest = e.id;
      fresh.push(e);
    }
    if (fresh.length === 0) return;
    fresh.reverse();
    if (s.eventsPaused) {
      set({ eventsPending: [...fresh, ...s.eventsPending].slice(0, LIVE_LIMIT) });
      return;
    }
    set(trimmed([...fresh, ...s.eventRows], s.eventCursor));
  },

  setEventsPaused(paused) {
    const s = get();
    if (paused === s.eventsPaused) return;
    if (paused) {
      set({ eventsPaused: true });
      return;
    }
    set({ eventsPaused: false, eventsPending: [], ...trimmed([...s.eventsPending, ...s.eventRows], s.eventCursor) });
  },

  async openEventsRoute(param, query) {
    const filter = cleanFilter(filterFromQuery(query));
    const id = param !== null && /^\d+$/.test(param) ? Number(param) : null;
    const s = get();
    const reload = s.eventsStatus === 'idle' || !sameFilter(filter, s.eventFilter);
    const loads: Promise<void>[] = [];
    if (reload) loads.push(get().setEventFilter(filter));
    if (id !== s.selectedEventId || (id !== null && s.eventDetail.status === 'idle')) loads.push(get().selectEvent(id));
    await Promise.all(loads);
  },

  async liveFellBehind(missed) {
    set({ eventsGap: { missed } });
    await get().loadEvents();
  },

  dismissEventsGap() {
    set({ eventsGap: null });
  },

  async selectEvent(id) {
    set({ selectedEventId: id, eventDetail: idle() });
    if (id === null) return;
    set({ eventDetail: loading(get().eventDetail) });
    const r = await call('events.get', { id });
    if (get().selectedEventId !== id) return;
    set({ eventDetail: settle(get().eventDetail, r) });
  },
});

/** Keeps the tail bounded; the cursor moves up so scrolling down pages the dropped rows back in. */
function trimmed(rows: EventSummary[], cursor: number | null): Pick<EventsSlice, 'eventRows' | 'eventCursor'> {
  if (rows.length <= LIVE_LIMIT) return { eventRows: rows, eventCursor: cursor };
  const kept = rows.slice(0, LIVE_LIMIT);
  const last = kept[kept.length - 1];
  return { eventRows: kept, eventCursor: last ? last.id : cursor };
}
