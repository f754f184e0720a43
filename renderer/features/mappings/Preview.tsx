import type { RoleDelta } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { RoleBadge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { RemoteView } from '../../ui/RemoteView';
import { Section } from '../../ui/Section';
import { Table } from '../../ui/Table';

export function DeltaTable({ deltas, caption }: { deltas: RoleDelta[]; caption: string }) {
  if (deltas.length === 0) return <EmptyState title="Nobody's role changes" />;
  return (
    <Table caption={caption} head={['Member', 'Now', 'After', 'Via group']}>
      {deltas.map((d) => (
        <tr key={d.userId} className={d.to === null ? 'row-lose' : 'row-gain'}>
          <td>{d.userName}</td>
          <td>
            <RoleBadge role={d.from} />
          </td>
          <td>
            <RoleBadge role={d.to} />
          </td>
          <td>{d.group ?? '—'}</td>
        </tr>
      ))}
    </Table>
  );
}

/** Who gains or loses which role if the pending change is saved; nothing is written until Save. */
export function Preview() {
  const change = useStore((s) => s.mappingChange);
  const preview = useStore((s) => s.mappingPreview);
  const saving = useStore((s) => s.mappingSaving);
  const error = useStore((s) => s.mappingSaveError);
  const save = useStore((s) => s.saveMapping);
  const cancel = useStore((s) => s.cancelMappingChange);
  const lastSaved = useStore((s) => s.lastSaved);
  if (!change) {
    if (!lastSaved) return null;
    return (
      <Section title="Saved">
        <p role="status" className="ok-text">
          Saved: {lastSaved.change.group} → {lastSaved.change.role ?? 'no role'}. {lastSaved.deltas.length} member
          {lastSaved.deltas.length === 1 ? '' : 's'} changed role.
        </p>
      </Section>
    );
  }
  return (
    <Section title={`Preview: ${change.group} → ${change.role ?? 'remove mapping'}`} className="preview">
      <RemoteView remote={preview} what="preview">
        {(deltas) => (
          <>
            <p>
              {deltas.filter((d) => d.to !== null && d.from !== d.to).length} gain or change a role,{' '}
              {deltas.filter((d) => d.to === null).length} lose their role.
            </p>
            <DeltaTable deltas={deltas} caption="Role changes if saved" />
          </>
        )}
      </RemoteView>
      <InlineError error={error} />
      <div className="dialog-actions">
        <Button onClick={cancel}>Cancel</Button>
        <Button
          variant={change.role === null ? 'danger' : 'primary'}
          busy={saving}
          disabled={preview.status !== 'ready'}
          onClick={() => void save()}
        >
          {change.role === null ? 'Remove mapping' : 'Save mapping'}
        </Button>
      </div>
    </Section>
  );
}
