import type { Remote } from '../api/remote';
import { hrefOf } from '../app/routes';
import type { ResourceTimeline } from '../app/timeline-slice';
import { StatusCode } from './Badge';
import { EmptyState } from './EmptyState';
import { RemoteView } from './RemoteView';
import { Section } from './Section';
import { Table } from './Table';
import { dateTime } from './time';

const KINDS: Record<string, string> = {
  'user.created': 'created',
  'user.deleted': 'deleted',
  'user.deactivated': 'deactivated',
  'user.reactivated': 'reactivated',
  'user.updated': 'updated',
  'group.created': 'group created',
  'group.deleted': 'group deleted',
  'group.updated': 'group updated',
  'member.added': 'member added',
  'member.removed': 'member removed',
  'role.changed': 'role changed',
};

/** "updated title, member added": the derived changes of one request, in words. */
function summarize(changes: unknown[]): string {
  const words: string[] = [];
  for (const c of changes) {
    if (typeof c !== 'object' || c === null) continue;
    const r = c as { kind?: unknown; attribute?: unknown };
    const kind = typeof r.kind === 'string' ? (KINDS[r.kind] ?? r.kind) : 'change';
    const w = typeof r.attribute === 'string' ? `${kind} ${r.attribute}` : kind;
    if (!words.includes(w)) words.push(w);
  }
  return words.join(', ');
}

/**
 * Every request that touched one user or group, failed ones included, each linking to its event:
 * the member and group details both show it (events.timeline, an indexed query on the resource).
 */
export function Timeline({ id, name, remote, retry }: { id: string; name: string; remote: Remote<ResourceTimeline>; retry: () => void }) {
  // Until this resource's rows arrive, show loading (or the error), never another resource's rows.
  const mine: Remote<ResourceTimeline> =
    remote.data?.id === id
      ? remote
      : remote.status === 'error'
        ? { ...remote, data: null }
        : { status: 'loading', data: null, error: null };
  return (
    <Section title="Timeline" actions={<a href={hrefOf('events', null, { resource: id })}>Open in the event log</a>}>
      <RemoteView remote={mine} what="timeline" retry={retry}>
        {(t) =>
          t.items.length === 0 ? (
            <EmptyState title="No recorded requests">Requests appear here once the IdP sends them (within the event retention).</EmptyState>
          ) : (
            <Table caption={`Timeline of ${name}`} head={['When', 'Status', 'Request', 'Changes']}>
              {t.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={hrefOf('events', e.id)}>
                      <time dateTime={e.time}>{dateTime(e.time)}</time>
                    </a>
                  </td>
                  <td>
                    <StatusCode status={e.status} />
                  </td>
                  <td className="mono truncate">
                    {e.method} {e.path.replace(/^.*\/(Users|Groups)/, '/$1')}
                  </td>
                  <td>{summarize(e.changes) || (e.status >= 400 ? 'failed: nothing changed' : '—')}</td>
                </tr>
              ))}
            </Table>
          )
        }
      </RemoteView>
    </Section>
  );
}
