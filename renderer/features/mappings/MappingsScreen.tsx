import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { MappingRow, MappingWarning, Role } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { Field } from '../../ui/Field';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { Preview } from './Preview';

const ROLES: Role[] = ['admin', 'publisher', 'member'];

function RoleSelect({ value, onChange, label }: { value: Role | ''; onChange: (r: Role | '') => void; label: string }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Role | '')}>
      <option value="">Choose a role…</option>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

function MappingLine({ m, warnings }: { m: MappingRow; warnings: MappingWarning[] }) {
  const preview = useStore((s) => s.previewMapping);
  const [role, setRole] = useState<Role | ''>(m.role);
  return (
    <tr>
      <td>
        <strong>{m.groupName}</strong>
        {warnings.map((w) => (
          <div key={w.kind} className="warn-text">
            <Badge tone="warn">{w.kind}</Badge> {w.message}
          </div>
        ))}
      </td>
      <td>
        <RoleSelect label={`Role for ${m.groupName}`} value={role} onChange={setRole} />
      </td>
      <td>
        <RelativeTime iso={m.updatedAt} compact />
      </td>
      <td className="actions">
        <Button disabled={role === '' || role === m.role} onClick={() => role && void preview({ group: m.groupName, role })}>
          Preview change
        </Button>
        <Button
          variant="danger"
          onClick={() => void preview({ group: m.groupName, role: null })}
          aria-label={`Remove mapping for ${m.groupName}`}
        >
          Remove
        </Button>
      </td>
    </tr>
  );
}

function AddMapping({ groupNames }: { groupNames: string[] }) {
  const preview = useStore((s) => s.previewMapping);
  const listId = useId();
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const lastSaved = useStore((s) => s.lastSaved);
  const proposed = useRef(group);
  proposed.current = group.trim();
  // Once the mapping this form proposed is saved, the form starts empty for the next one.
  useEffect(() => {
    if (!lastSaved || lastSaved.change.role === null || lastSaved.change.group !== proposed.current) return;
    setGroup('');
    setRole('');
  }, [lastSaved]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (group.trim() && role) void preview({ group: group.trim(), role });
  };
  const unknown = group.trim() !== '' && !groupNames.includes(group.trim());
  return (
    <form className="form-row" onSubmit={submit} aria-label="Add mapping">
      <Field label="Group displayName" hint={unknown ? 'No group with this exact name has been pushed yet.' : undefined}>
        <input list={listId} value={group} onChange={(e) => setGroup(e.target.value)} required autoComplete="off" />
      </Field>
      <datalist id={listId}>
        {groupNames.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <Field label="Role">
        <RoleSelect label="Role" value={role} onChange={setRole} />
      </Field>
      <Button type="submit" variant="primary" disabled={!group.trim() || !role}>
        Preview
      </Button>
    </form>
  );
}

export function MappingsScreen() {
  const mappings = useStore((s) => s.mappings);
  const load = useStore((s) => s.loadMappings);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Group mappings" />
      <p className="lead">
        Members get the highest role of any group they belong to. Group names must match the IdP's displayName exactly.
      </p>
      <RemoteView remote={mappings} what="mappings" retry={() => void load()}>
        {({ mappings: rows, warnings, groupNames }) => (
          <>
            <Section title="Add a mapping">
              <AddMapping groupNames={groupNames} />
            </Section>
            <Preview />
            {warnings.length > 0 ? (
              <Section title="Warnings">
                <ul className="alert-list">
                  {warnings.map((w) => (
                    <li key={`${w.kind}:${w.mapping}`} className="alert alert-warning">
                      <Badge tone="warn">{w.kind}</Badge> {w.message}
                    </li>
                  ))}
                </ul>
              </Section>
            ) : null}
            <Section title="Mappings">
              {rows.length === 0 ? (
                <EmptyState title="No mappings yet">Without a mapping, provisioned members get no role.</EmptyState>
              ) : (
                <Table caption="Group to role mappings" head={['Group displayName', 'Role', 'Updated', 'Actions']}>
                  {rows.map((m) => (
                    <MappingLine
                      key={`${m.groupName}:${m.role}:${m.updatedAt}`}
                      m={m}
                      warnings={warnings.filter((w) => w.mapping === m.groupName)}
                    />
                  ))}
                </Table>
              )}
            </Section>
          </>
        )}
      </RemoteView>
    </>
  );
}
