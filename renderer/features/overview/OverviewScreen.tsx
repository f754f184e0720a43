import { useEffect } from 'react';
import type { NodeStatus } from '../../../server/console/contract';
import { hrefOf } from '../../app/routes';
import { useStore } from '../../app/store';
import { Badge, StatusCode } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { EmptyState } from '../../ui/EmptyState';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { TrafficChart } from './TrafficChart';

function Stats({ s }: { s: NodeStatus }) {
  const items = [
    { label: 'Users', value: s.users, hint: `${s.activeUsers} active` },
    { label: 'Groups', value: s.groups, hint: '' },
    { label: 'Active tokens', value: s.activeTokens, hint: '' },
    { label: 'Conflicts waiting', value: s.openConflicts, hint: '' },
  ];
  return (
    <dl className="stats">
      {items.map((i) => (
        <div key={i.label} className="stat">
          <dt>{i.label}</dt>
          <dd>
            <span className="stat-value">{i.value}</span>
            {i.hint ? <span className="muted"> {i.hint}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Endpoint() {
  const status = useStore((s) => s.status);
  const retry = useStore((s) => s.loadStatus);
  return (
    <Section title="SCIM endpoint">
      <RemoteView remote={status} what="node status" retry={retry}>
        {(s) => (
          <>
            <div className="endpoint">
              <code className="endpoint-url" data-testid="scim-url">
                {s.scimUrl}
              </code>
              <CopyButton text={s.scimUrl} what="SCIM endpoint URL" />
            </div>
            <p className="muted">
              Running ({s.host}) since <RelativeTime iso={s.startedAt} />
              {s.dataDir ? ` · data in ${s.dataDir}` : ''}
            </p>
            <Stats s={s} />
          </>
        )}
      </RemoteView>
    </Section>
  );
}

function Alerts() {
  const alerts = useStore((s) => s.alerts);
  const warnings = useStore((s) => s.overviewWarnings);
  const conflicts = useStore((s) => s.status.data?.openConflicts ?? 0);
  const ack = useStore((s) => s.acknowledgeAlert);
  const open = (alerts.data ?? []).filter((a) => !a.acknowledgedAt);
  const warn = warnings.data ?? [];
  const nothing = open.length === 0 && warn.length === 0 && conflicts === 0;
  return (
    <Section title="Alerts">
      <RemoteView remote={alerts} what="alerts">
        {() =>
          nothing ? (
            <EmptyState title="All clear">No alerts, mapping warnings or conflicts waiting.</EmptyState>
          ) : (
            <ul className="alert-list">
              {conflicts > 0 ? (
                <li className="alert alert-warning">
                  <Badge tone="warn">conflicts</Badge> {conflicts} provisioning conflict{conflicts === 1 ? '' : 's'} waiting.{' '}
                  <a href={hrefOf('members')}>Review the conflict queue</a>
                </li>
              ) : null}
              {warn.map((w) => (
                <li key={`${w.kind}:${w.mapping}`} className="alert alert-warning">
                  <Badge tone="warn">{w.kind}</Badge> {w.message} <a href={hrefOf('mappings')}>Open mappings</a>
                </li>
              ))}
              {open.map((a) => (
                <li key={a.id} className={`alert alert-${a.severity}`}>
                  <Badge tone={a.severity === 'critical' ? 'bad' : a.severity === 'warning' ? 'warn' : 'info'}>{a.kind}</Badge>
                  <span className="alert-msg">{a.message}</span>
                  <RelativeTime iso={a.time} compact />
                  <Button onClick={() => void ack(a.id)} aria-label={`Acknowledge alert: ${a.message}`}>
                    Acknowledge
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </RemoteView>
    </Section>
  );
}

function RecentErrors() {
  const errors = useStore((s) => s.recentErrors);
  return (
    <Section title="Recent errors">
      <RemoteView remote={errors} what="recent errors">
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState title="No failed requests" />
          ) : (
            <ul className="plain-list">
              {rows.map((e) => (
                <li key={e.id} className="error-row">
                  <a href={hrefOf('events', e.id)} className="error-link" aria-label={`Event ${e.id}: ${e.status} ${e.method} ${e.path}`}>
                    <StatusCode status={e.status} /> <span className="mono">{e.method}</span> <span className="mono path">{e.path}</span>
                  </a>{' '}
                  {e.userName ? <span className="muted">{e.userName}</span> : null} <RelativeTime iso={e.time} compact />
                </li>
              ))}
            </ul>
          )
        }
      </RemoteView>
      <p>
        <a href={hrefOf('events', null, { class: '4' })}>All 4xx</a> · <a href={hrefOf('events', null, { class: '5' })}>All 5xx</a> ·{' '}
        <a href={hrefOf('events')}>Open the event log</a>
      </p>
    </Section>
  );
}

export function OverviewScreen() {
  const load = useStore((s) => s.loadOverview);
  const traffic = useStore((s) => s.traffic);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Overview">
        <Button onClick={() => void load()}>Refresh</Button>
      </ScreenHeader>
      <div className="grid-2">
        <Endpoint />
        <Section title="Requests per minute">
          <RemoteView remote={traffic} what="traffic" retry={() => void load()}>
            {(points) => <TrafficChart points={points} />}
          </RemoteView>
        </Section>
        <Alerts />
        <RecentErrors />
      </div>
    </>
  );
}
