import { useEffect } from 'react';
import type { HealthLevel, HealthWindow, IdpHealth } from '../../../server/console/contract';
import { hrefOf } from '../../app/routes';
import { useStore } from '../../app/store';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { localTime } from '../../ui/time';

const TONE: Record<HealthLevel, 'ok' | 'warn' | 'bad'> = { ok: 'ok', warning: 'warn', critical: 'bad' };

const rate = (w: HealthWindow) => `${(w.errorRate * 100).toFixed(1)}% of ${w.requests.toLocaleString()}`;

function since(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** One IdP: its error rates, what fails most, the likely cause and how long since it last succeeded. */
function Idp({ idp, cycleMinutes }: { idp: IdpHealth; cycleMinutes: number }) {
  const name = `${idp.agent.name} · ${idp.principal.label}`;
  return (
    <Section title={name} actions={<Badge tone={TONE[idp.level]}>{idp.level}</Badge>}>
      <dl className="kv kv-wide">
        <dt>Errors, last cycle ({cycleMinutes} min)</dt>
        <dd>{rate(idp.cycle)}</dd>
        <dt>Errors, last 24 h</dt>
        <dd>{rate(idp.day)}</dd>
        <dt>Last success</dt>
        <dd data-testid="since-success">
          {since(idp.secondsSinceSuccess)}
          {idp.lastSuccessAt ? (
            <time className="muted" dateTime={idp.lastSuccessAt}>
              {' '}
              ({localTime(idp.lastSuccessAt)})
            </time>
          ) : null}
        </dd>
        <dt>Likely cause</dt>
        <dd>{idp.likelyCause ?? 'nothing stands out'}</dd>
      </dl>
      {idp.topErrors.length === 0 ? (
        <p className="muted">No failed requests in the last 24 hours.</p>
      ) : (
        <Table caption={`Top errors of ${name}`} head={['Kind', 'Last 24 h', 'Last cycle', 'Newest']}>
          {idp.topErrors.map((e) => (
            <tr key={e.kind}>
              <td>{e.label}</td>
              <td className="num">{e.count}</td>
              <td className="num">{e.cycleCount}</td>
              <td>
                <a href={hrefOf('events', e.exampleEventId)}>
                  event #{e.exampleEventId}, <RelativeTime iso={e.lastAt} compact />
                </a>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

export function HealthScreen() {
  const health = useStore((s) => s.health);
  const load = useStore((s) => s.loadHealth);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Health">
        <Button onClick={() => void load()}>Refresh</Button>
      </ScreenHeader>
      <RemoteView remote={health} what="provisioning health" retry={() => void load()}>
        {(h) =>
          h.idps.length === 0 ? (
            <EmptyState title="No IdP has called yet">Health appears per IdP once it sends SCIM requests.</EmptyState>
          ) : (
            <>
              <p className="muted">
                Overall <Badge tone={TONE[h.level]}>{h.level}</Badge> · warns at {h.thresholds.warnPercent}% errors, critical at{' '}
                {h.thresholds.criticalPercent}% (from {h.thresholds.minRequests} requests a cycle)
              </p>
              {h.idps.map((idp) => (
                <Idp key={idp.key} idp={idp} cycleMinutes={h.cycleMinutes} />
              ))}
            </>
          )
        }
      </RemoteView>
    </>
  );
}
