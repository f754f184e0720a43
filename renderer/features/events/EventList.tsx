import { useRef } from 'react';
import { hrefOf, navigate } from '../../app/routes';
import { useStore } from '../../app/store';
import { StatusCode } from '../../ui/Badge';
import { duration } from '../../ui/format';
import { dateTime } from '../../ui/time';
import { VirtualList } from '../../ui/VirtualList';
import { queryOfFilter } from './url';

export const EVENT_ROW = 32;

function Row({ index }: { index: number }) {
  const e = useStore((s) => s.eventRows[index]);
  if (!e) return null;
  return (
    <div className="erow">
      <time className="mono muted" dateTime={e.time} title={new Date(e.time).toLocaleString()}>
        {dateTime(e.time)}
      </time>
      <span className="mono strong">{e.method}</span>
      <StatusCode status={e.status} />
      <span className="mono truncate">{e.path}</span>
      <span className="truncate muted">{e.userName ?? ''}</span>
      <span className="mono muted num">{duration(e.latencyMs)}</span>
    </div>
  );
}

export function EventList() {
  const count = useStore((s) => s.eventRows.length);
  const selectedId = useStore((s) => s.selectedEventId);
  const activeIndex = useStore((s) => (s.selectedEventId === null ? null : s.eventRows.findIndex((e) => e.id === s.selectedEventId)));
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const open = (i: number) => {
    const e = useStore.getState().eventRows[i];
    // Through the URL, so the open event is a link that survives a reload.
    if (e && e.id !== selectedId) navigate(hrefOf('events', e.id, queryOfFilter(useStore.getState().eventFilter)));
  };
  const onScroll = (top: number) => {
    const s = useStore.getState();
    // Scrolling away from the newest row pauses the tail so rows do not shift under the reader;
    // coming back to the top resumes it.
    if (top > EVENT_ROW / 2 && !s.eventsPaused) s.setEventsPaused(true);
    else if (top === 0 && s.eventsPaused) s.setEventsPaused(false);
  };
  return (
    <>
      <div className="erow erow-head" aria-hidden="true">
        <span>Time</span>
        <span>Method</span>
        <span>Status</span>
        <span>Path</span>
        <span>userName</span>
        <span className="num">Latency</span>
      </div>
      <VirtualList
        label="Events, newest first"
        idPrefix="event"
        count={count}
        rowHeight={EVENT_ROW}
        height={typeof window === 'undefined' ? 480 : Math.max(260, window.innerHeight - 320)}
        className="events-list"
        renderRow={(i) => <Row index={i} />}
        activeIndex={activeIndex !== null && activeIndex >= 0 ? activeIndex : null}
        onActivate={open}
        onScrollTopChange={onScroll}
        onEndReached={() => void useStore.getState().loadOlderEvents()}
        scrollRef={scrollRef}
      />
      <ResumeBar scrollRef={scrollRef} />
    </>
  );
}

function ResumeBar({ scrollRef }: { scrollRef: { current: HTMLDivElement | null } }) {
  const paused = useStore((s) => s.eventsPaused);
  const pending = useStore((s) => s.eventsPending.length);
  const setPaused = useStore((s) => s.setEventsPaused);
  if (!paused) return null;
  return (
    <div className="resume-bar" role="status">
      Live tail paused{pending > 0 ? ` · ${pending} new event${pending === 1 ? '' : 's'}` : ''}.{' '}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setPaused(false);
          if (scrollRef.current) scrollRef.current.scrollTop = 0;
        }}
      >
        Resume and jump to newest
      </button>
    </div>
  );
}
