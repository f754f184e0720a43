import { useEffect, useState } from 'react';
import type { ConsoleError, WebhookEndpointSummary } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { OnceWarning, SecretValue } from '../../ui/SecretValue';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { EndpointDetail } from './EndpointDetail';

const tone = { active: 'ok', failing: 'bad', disabled: 'neutral' } as const;

function AddEndpoint() {
  const add = useStore((s) => s.addEndpoint);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);
  return (
    <form
      className="form-row"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await add({ url, events: events || undefined, label: label || undefined });
        setBusy(false);
        setError(r.ok ? null : r.error);
        if (r.ok) setUrl('');
      }}
    >
      <Field label="URL" hint="http or https; one signed POST per event">
        <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://app.example.com/scimdesk" required />
      </Field>
      <Field label="Events" hint="e.g. user.*,group.member_added (empty: all)">
        <input value={events} onChange={(e) => setEvents(e.target.value)} />
      </Field>
      <Field label="Label">
        <input value={label} onChange={(e) => setLabel(e.target.value)} />
      </Field>
      <Button type="submit" variant="primary" busy={busy}>
        Add endpoint
      </Button>
      <InlineError error={error} />
    </form>
  );
}

function RevealedSecret() {
  const revealed = useStore((s) => s.revealedWebhookSecret);
  const dismiss = useStore((s) => s.dismissWebhookSecret);
  if (!revealed) return null;
  return (
    <div className="secret">
      <OnceWarning>
        {revealed.note}. Copy it now: <strong>you will not see it again.</strong>
      </OnceWarning>
      <div className="secret-row">
        <SecretValue value={revealed.secret} what="signing secret" testId="webhook-secret" />
        <Button onClick={dismiss}>Done</Button>
      </div>
    </div>
  );
}

function EndpointRow({ e, selected }: { e: WebhookEndpointSummary; selected: boolean }) {
  const select = useStore((s) => s.selectEndpoint);
  const test = useStore((s) => s.testEndpoint);
  const rotate = useStore((s) => s.rotateSecret);
  const setEnabled = useStore((s) => s.setEndpointEnabled);
  const [result, setResult] = useState<string | null>(null);
  return (
    <tr aria-selected={selected}>
      <td>
        <button type="button" className="link-button" onClick={() => void select(e.id)}>
          <strong>{e.label}</strong>
        </button>
        <div className="mono muted">{e.url}</div>
      </td>
      <td>
        <Badge tone={tone[e.status]}>{e.status}</Badge>
      </td>
      <td>
        {e.pendingEvents} events · {e.lagSeconds} s
      </td>
      <td>
        <RelativeTime iso={e.lastDeliveryAt} compact />
        <div className="muted">{e.lastStatus ?? ''}</div>
      </td>
      <td>{e.deadLettered}</td>
      <td className="actions">
        <Button
          onClick={async () => {
            const r = await test(e.id);
            setResult(r.ok ? `${r.value.ok ? 'OK' : 'Failed'}: ${r.value.detail} in ${r.value.latencyMs} ms` : r.error.message);
          }}
        >
          Test
        </Button>
        <Button onClick={() => void rotate(e.id, 24)}>Rotate secret</Button>
        <Button onClick={() => void setEnabled(e.id, e.status === 'disabled')}>{e.status === 'disabled' ? 'Enable' : 'Disable'}</Button>
        {result ? <div className="muted">{result}</div> : null}
      </td>
    </tr>
  );
}

/** Deliveries (issue #14 §4): each endpoint's status and lag, attempts, dead letters, and the actions. */
export function DeliveriesScreen() {
  const endpoints = useStore((s) => s.endpoints);
  const selected = useStore((s) => s.selectedEndpoint);
  const load = useStore((s) => s.loadEndpoints);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Deliveries">
        <Button onClick={() => void load()}>Refresh</Button>
      </ScreenHeader>
      <RevealedSecret />
      <Section title="Webhook endpoints">
        <RemoteView remote={endpoints} what="webhook endpoints" retry={() => void load()}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No webhook endpoints">Add one below; it receives every change from now on, in order.</EmptyState>
            ) : (
              <Table caption="Webhook endpoints" head={['Endpoint', 'Status', 'Lag', 'Last delivery', 'Dead letters', 'Actions']}>
                {list.map((e) => (
                  <EndpointRow key={e.id} e={e} selected={e.id === selected} />
                ))}
              </Table>
            )
          }
        </RemoteView>
        <AddEndpoint />
      </Section>
      {(() => {
        const open = endpoints.data?.find((e) => e.id === selected);
        return open ? <EndpointDetail endpoint={open} /> : null;
      })()}
    </>
  );
}
