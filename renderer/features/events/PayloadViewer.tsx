import type { EventDetail } from '../../../server/console/contract';
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
      <dd className="mono">{e.tokenId ?? '—'}</dd>
      <dt>Source IP</dt>
      <dd className="mono">{e.sourceIp ?? '—'}</dd>
      <dt>User agent</dt>
      <dd className="mono truncate">{e.userAgent ?? '—'}</dd>
      <dt>Resource</dt>
      <dd>
        {e.resourceType ?? '—'} <span className="mono">{e.resourceId ?? ''}</span> {e.userName ? `(${e.userName})` : ''}
      </dd>
    </dl>
  );
}

function Detail({ e }: { e: EventDetail }) {
  const scimUrl = useStore((s) => s.status.data?.scimUrl);
  const curl = buildCurl(e, originOf(scimUrl));
  const headers = Object.entries(e.requestHeaders);
  return (
    <>
      <p className="detail-line">
        <StatusCode status={e.status} /> <span className="mono strong">{e.method}</span> <span className="mono">{e.path}</span>
      </p>
      <Meta e={e} />
      <div className="payloads">
        <Payload title="Request body" body={e.requestBody} />
        <Payload title="Response body" body={e.responseBody} />
      </div>
      <div className="grid-2">
        <Section title="Request headers">
          {headers.length === 0 ? (
            <p className="muted">No headers recorded</p>
          ) : (
            <Table caption="Request headers" head={['Header', 'Value']}>
              {headers.map(([k, v]) => (
                <tr key={k}>
                  <td className="mono">{k}</td>
                  <td className="mono break">{v}</td>
                </tr>
              ))}
            </Table>
          )}
        </Section>
        <Section title="Dialect notes">
          {e.notes.length === 0 ? (
            <p className="muted">The request followed RFC 7644 as written; nothing was corrected.</p>
          ) : (
            <ul className="plain-list">
              {e.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </Section>
      </div>
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
        <p className="muted">The token is replaced by $SCIM_TOKEN; set it in your shell first.</p>
      </Section>
    </>
  );
}

export function PayloadViewer() {
  const id = useStore((s) => s.selectedEventId);
  const detail = useStore((s) => s.eventDetail);
  const select = useStore((s) => s.selectEvent);
  if (id === null) return null;
  return (
    <Section title={`Event #${id}`} className="event-detail" actions={<Button onClick={() => void select(null)}>Close</Button>}>
      <RemoteView remote={detail} what="event payloads" retry={() => void select(id)}>
        {(e) => <Detail e={e} />}
      </RemoteView>
    </Section>
  );
}
