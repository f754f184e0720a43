import { useEffect } from 'react';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { Section } from '../../ui/Section';
import { Table } from '../../ui/Table';

/** SCIM creates that collided with a member the admin added by hand; linking adopts the IdP's externalId. */
export function ConflictQueue() {
  const conflicts = useStore((s) => s.conflicts);
  const load = useStore((s) => s.loadConflicts);
  const link = useStore((s) => s.linkConflict);
  const error = useStore((s) => s.conflictError);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Section title="Conflict queue">
      <InlineError error={error} />
      <RemoteView remote={conflicts} what="conflicts" retry={() => void load()}>
        {(list) => {
          const open = list.filter((c) => c.status === 'open');
          return open.length === 0 ? (
            <EmptyState title="No conflicts waiting" />
          ) : (
            <Table caption="Open provisioning conflicts" head={['userName', 'externalId from IdP', 'When', 'Action']}>
              {open.map((c) => (
                <tr key={c.id}>
                  <td className="mono">{c.userName}</td>
                  <td className="mono">{c.externalId ?? '—'}</td>
                  <td>
                    <RelativeTime iso={c.time} compact />
                  </td>
                  <td>
                    <Button variant="primary" onClick={() => void link(c.id)} aria-label={`Link externalId for ${c.userName}`}>
                      Link externalId
                    </Button>
                  </td>
                </tr>
              ))}
            </Table>
          );
        }}
      </RemoteView>
    </Section>
  );
}
