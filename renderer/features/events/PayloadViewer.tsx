import { useState } from 'react';
import type { EventDetail } from '../../../server/console/contract';
import { hrefOf, navigate } from '../../app/routes';
import { useStore } from '../../app/store';
import { StatusCode } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { duration } from '../../ui/format';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { Changes } from './Changes';
import { buildCurl, originOf } from './curl';
import { Payload } from './Payload';
import { queryOfFilter, resourceHref } from './url';

/** A link to this list filtered by one more field: clicking a userName or a token filters by it. */
const filterHref = (extra: Record<string, string>) =>
  hrefOf('events', null, { ...queryOfFilter(useStore.getState().eventFilter), ...extra });

function TokenName({ id }: { id: string | null }) {
  const token = useStore((s) => (id ? s.tokens.data?.find((t) => t.id === id) : undefined));
  if (!id) return <>—</>;
  return (
    <a href={filterHref({ token: id })} title="Show only this token's requests">
      {token ? `${token.label} (${token.prefix}…)` : <span className="mono">{id}</span>}
    </a>
  );
}

function Meta({ e }: { e: EventDetail }) {
  return (
    <dl className="kv kv-wide">
      <dt>Time</dt>
      <dd>
        <RelativeTime iso={e.time} />
      </dd>
      <dt>Request id</dt>
      <dd className="mono">{e.requestId}</dd>
      <dt>Latency</dt>
      <dd>{duration(e.latencyMs)}</dd>
      <dt>Token</dt>
      <dd>
        <TokenName id={e.tokenId} />
      </dd>
      <dt>Source IP</dt>
      <dd className="mono">{e.sourceIp ?? '—'}</dd>
      <dt>User agent</dt>
      <dd className="mono truncate">{e.userAgent ?? '—'}</dd>
      <dt>Resource</dt>
      <dd>
        {e.resourceId ? (
          <a href={resourceHref(e.resourceType, e.resourceId)}>
            {e.resourceType === 'Group' ? 'Group' : 'User'} timeline
            {e.userName ? ` of ${e.userName}` : ''}
          </a>
        ) : (
          '—'
        )}{' '}
        {e.userName ? (
          <a href={filterHref({ user: e.userName })} className="muted" title="Show only requests for this userName">
            (filter by {e.userName})
          </a>
        ) : null}
      </dd>
    </dl>
  );
}

/**
 * The request body both ways: as the IdP sent it (redacted) and as the node read it after the
 * dialect layer, with the notes that say what changed between the two.
 */
function WireBody({ e }: { e: EventDetail }) {
  const [view, setView] = useState<'received' | 'corrected'>('received');
  const received = e.requestBodyReceived ?? e.requestBody;
  const same = e.requestBodyReceived === null;
  return (
    <section className="card wire" aria-label="Request as received">
      <header className="card-head">
        <h2>Request body</h2>
        <fieldset className="seg">
          <legend className="sr-only">Which request body</legend>
          <button type="button" aria-pressed={view === 'received'} onClick={() => setView('received')}>
            As received
          </button>
          <button type="button" aria-pressed={view === 'corrected'} onClick={() => setView('corrected')}>
            After dialect corrections
          </button>
        </fieldset>
      </header>
      <div className="dialect-notes" role="note" aria-label="Dialect notes">
        {e.notes.length === 0 ? (
          <p className="muted">Dialect notes: none. The request followed RFC 7644 as written.</p>
        ) : (
          <>
            <p className="strong">Dialect notes: what the node corrected between the two</p>
            <ul className="plain-list">
              {e.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        )}
        {same && e.requestBody ? <p className="muted">Both views are byte for byte the same body.</p> : null}
      </div>
      {view === 'received' ? (
        // When the bytes differ from the corrected body, they are the point: open them raw.
        <Payload key="received" title="Request body" body={received} initialRaw={!same} />
      ) : (
        <Payload key="corrected" title="Request body after corrections" body={e.requestBody} />
      )}
    </section>
  );
}

function HeaderTable({ caption, headers }: { caption: string; headers: Record<string, string> }) {
  const rows = Object.entries(headers);
  if (rows.length === 0) return <p className="muted">No headers recorded</p>;
  return (
    <Table caption={caption} head={['Header', 'Value']}>
      {rows.map(([k, v]) => (
        <tr key={k}>
          <td className="mono">{k}</td>
          <td className="mono break">{v}</td>
        </tr>
      ))}
    </Table>
  );
}

function Detail({ e }: { e: EventDetail }) {
  const scimUrl = useStore((s) => s.status.data?.scimUrl);
  // Replays what the IdP actually sent: the received body, not the node's corrected reading of it.
  const curl = buildCurl({ ...e, requestBody: e.requestBodyReceived ?? e.requestBody }, originOf(scimUrl));
  return (
    <>
      <p className="detail-line">
        <StatusCode status={e.status} /> <span className="mono strong">{e.method}</span> <span className="mono">{e.path}</span>
      </p>
      <Meta e={e} />
      <WireBody e={e} />
      <Section title="Response">
        <HeaderTable caption="Response headers" headers={e.responseHeaders} />
        <Payload title="Response body" body={e.responseBody} />
      </Section>
      <Section title="Request headers">
        <HeaderTable caption="Request headers" headers={e.requestHeaders} />
      </Section>
      <Section title="Derived changes">
        <Changes changes={e.changes} />
      </Section>
      <Section title="Downstream events">
        {(e.downstream ?? []).length === 0 ? (
          <p className="muted">This request put nothing on the change feed.</p>
        ) : (
          <Table caption="Change events this request produced" head={['Feed id', 'Type', 'About']}>
            {(e.downstream ?? []).map((d) => (
              <tr key={d.id}>
                <td className="mono">#{d.id}</td>
                <td className="mono">{d.type}</td>
                <td className="mono muted">{d.subject ?? ''}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section title="Copy as curl" actions={<CopyButton text={curl} label="Copy as curl" what="curl command" />}>
        <pre className="code-block" data-testid="curl">
          {curl}
        </pre>
        <p className="muted">The body is the one the IdP sent. The token is replaced by $SCIM_TOKEN; set it in your shell first.</p>
      </Section>
    </>
  );
}

/** The open event, as a side panel beside the list; Escape or Close goes back to the list's URL. */
export function PayloadViewer() {
  const id = useStore((s) => s.selectedEventId);
  const detail = useStore((s) => s.eventDetail);
  const select = useStore((s) => s.selectEvent);
  if (id === null) return null;
  const close = () => navigate(hrefOf('events', null, queryOfFilter(useStore.getState().eventFilter)));
  return (
    <Section title={`Event #${id}`} className="event-detail" actions={<Button onClick={close}>Close</Button>}>
      <RemoteView remote={detail} what="event payloads" retry={() => void select(id)}>
        {(e) => <Detail e={e} />}
      </RemoteView>
    </Section>
  );
}
