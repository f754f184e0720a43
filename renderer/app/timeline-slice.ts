import type { EventRow } from '../../server/console/contract';
import { call } from '../api/call';
import { idle, type Remote, settle } from '../api/remote';
import type { Slice } from './store';

export interface ResourceTimeline {
  id: string;
  items: EventRow[];
  nextCursor: number | null;
}

/** The timeline of the open member or group: shared by both screens, so it lives beside the session. */
export interface TimelineSlice {
  timeline: Remote<ResourceTimeline>;
  loadTimeline(id: string): Promise<void>;
}

export const createTimelineSlice: Slice<TimelineSlice> = (set, get) => ({
  timeline: idle(),
  async loadTimeline(id) {
    // Another resource's rows never show under this one, not even while loading.
    const prev = get().timeline.data?.id === id ? get().timeline.data : null;
    set({ timeline: { status: 'loading', data: prev, error: null } });
    const r = await call('events.timeline', { id, limit: 200 });
    set({ timeline: settle(get().timeline, r.ok ? { ok: true, value: { id, ...r.value } } : r) });
  },
});
