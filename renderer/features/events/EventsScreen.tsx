import { useEffect, useState } from 'react';
import { getClient } from '../../api/call';
import type { ExportFormat } from '../../api/client';
import { hrefOf, navigate } from '../../app/routes';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { ScreenHeader, Section } from '../../ui/Section';
import { Loading } from '../../ui/Spinner';
import { EventFilters } from './EventFilters';
import { EventList } from './EventList';
import { PayloadViewer } from './PayloadViewer';
import { queryOfFilter } from './url';

/** The current list's URL without an open event: closing the detail keeps the filter. */
export const listHref = () => hrefOf('events', null, queryOfFilter(useStore.getState().eventFilter));

function Export() {
  const [msg, setMsg] = useState('');
  const run = async (format: ExportFormat) => {
    const r = await getClient().exportEvents(useStore.getState().eventFilter, format);
    if (!r.ok) setMsg(`Export failed: ${r.error.message}`);
    else if (r.value.saved) setMsg(`Saved ${r.value.count ?? ''} events to ${r.value.saved}`);
    else setMsg(r.value.count === null ? `Download of ${format.toUpperCase()} started` : 'Export cancelled');
  };
  return (
    <>
      <Button onClick={() => void run('jsonl')}>Export JSONL</Button>
      <Button onClick={() => void run('csv')}>Export CSV</Button>
      <span className="muted" role="status">
        {msg}
      </span>
    </>
  );
}

function TailState() {
  const paused = useStore((s) => s.eventsPaused);
  const text = useStore((s) => Boolean(s.eventFilter.text));
  const setPaused = useStore((s) => s.setEventsPaused);
  if (text) return <span className="tail tail-off">Live tail off while searching payload text</span>;
  return (
    <>
      <span className={paused ? 'tail tail-paused' : 'tail tail-live'} data-testid="tail-state">
        {paused ? 'Paused' : 'Live'}
      </span>
      <Button onClick={() => setPaused(!paused)}>{paused ? 'Resume' : 'Pause'}</Button>
    </>
  );
}

/** Says that the live tail lost pushes; the slice has already reloaded the list. */
function GapNotice() {
  const gap = useStore((s) => s.eventsGap);
  const dismiss = useStore((s) => s.dismissEventsGap);
  if (!gap) return null;
  const what =
    gap.missed === null
      ? 'The live tail reconnected; events may have been missed.'
      : `The live tail fell behind: ${gap.missed.toLocaleString()} event${gap.missed === 1 ? ' was' : 's were'} not pushed.`;
  return (
    <div className="notice notice-warn" role="alert">
      {what} The list was reloaded. <Button onClick={dismiss}>Dismiss</Button>
    </div>
  );
}

export function EventsScreen() {
  const status = useStore((s) => s.eventsStatus);
  const error = useStore((s) => s.eventsError);
  const count = useStore((s) => s.eventRows.length);
  const more = useStore((s) => s.eventCursor !== null);
  const load = useStore((s) => s.loadEvents);
  const route = useStore((s) => s.route);
  const open = useStore((s) => s.selectedEventId !== null);
  useEffect(() => {
    void useStore.getState().openEventsRoute(route.param, route.query);
  }, [route]);
  useEffect(() => {
    if (!open) return;
    // Escape closes the side panel (a dialog open above it handles its own Escape first).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) navigate(listHref());
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <>
      <ScreenHeader title="Event log">
        <TailState />
      </ScreenHeader>
      <Section title="Filter" actions={<Export />}>
        <EventFilters />
      </Section>
      <div className={open ? 'events-layout events-layout-open' : 'events-layout'}>
        <Section title="Requests">
          <GapNotice />
          {error ? <ErrorState error={error} onRetry={() => void load()} what="events" /> : null}
          {count === 0 && status === 'loading' ? <Loading what="events" /> : null}
          {count === 0 && status === 'ready' ? (
            <EmptyState title="No events match">SCIM requests appear here live as your IdP sends them.</EmptyState>
          ) : null}
          {count > 0 ? <EventList /> : null}
          <p className="muted list-foot" aria-live="polite">
            {count > 0 ? `${count.toLocaleString()} loaded${more ? ', scroll for older' : ''}` : ''}
            {status === 'loading' && count > 0 ? ' · loading…' : ''}
          </p>
        </Section>
        <PayloadViewer />
      </div>
    </>
  );
}
