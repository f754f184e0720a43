import { useEffect, useState } from 'react';
import type { Role } from '../../../server/console/contract';
import { hrefOf } from '../../app/routes';
import { useStore } from '../../app/store';
import { Badge, RoleBadge } from '../../ui/Badge';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Spinner';
import { VirtualList } from '../../ui/VirtualList';

const ROW = 40;

function Row({ index }: { index: number }) {
  const m = useStore((s) => s.memberItems[index]);
  if (!m) return <span className="muted">Loading…</span>;
  return (
    <div className="mrow">
      <span className="mono truncate">{m.userName}</span>
      <span className="truncate">{m.displayName ?? '—'}</span>
      <span>
        <RoleBadge role={m.role} />
      </span>
      <span>{m.active ? <Badge tone="ok">active</Badge> : <Badge tone="bad">inactive</Badge>}</span>
      <span className="mono truncate muted">{m.externalId ?? '—'}</span>
      <span className="truncate muted" title={m.groups.join(', ')}>
        {m.groups.join(', ') || '—'}
      </span>
    </div>
  );
}

function Filters() {
  const q = useStore((s) => s.memberQuery);
  const setQuery = useStore((s) => s.setMemberQuery);
  const [search, setSearch] = useState(q.search);
  useEffect(() => {
    if (search === q.search) return;
    const t = setTimeout(() => void setQuery({ search }), 250);
    return () => clearTimeout(t);
  }, [search, q.search, setQuery]);
  return (
    <div className="form-row">
      <Field label="Search members">
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="userName, name or externalId" />
      </Field>
      <Field label="Role">
        <select value={q.role} onChange={(e) => void setQuery({ role: e.target.value as Role | 'none' | '' })}>
          <option value="">Any</option>
          <option value="admin">admin</option>
          <option value="publisher">publisher</option>
          <option value="member">member</option>
          <option value="none">no role</option>
        </select>
      </Field>
      <Field label="Status">
        <select value={q.active} onChange={(e) => void setQuery({ active: e.target.value as '' | 'true' | 'false' })}>
          <option value="">Any</option>
          <option value="true">Active</option>
          <option value="false">Inactive</option>
        </select>
      </Field>
    </div>
  );
}

export function MemberList() {
  const count = useStore((s) => s.memberItems.length);
  const total = useStore((s) => s.memberTotal);
  const status = useStore((s) => s.membersStatus);
  const error = useStore((s) => s.membersError);
  const load = useStore((s) => s.loadMembers);
  const more = useStore((s) => s.loadMoreMembers);
  useEffect(() => {
    void load();
  }, [load]);
  const open = (i: number) => {
    const m = useStore.getState().memberItems[i];
    if (m) location.hash = hrefOf('members', m.id);
  };
  return (
    <>
      <Filters />
      <p className="muted" aria-live="polite">
        {status === 'ready' || count > 0 ? `${total} member${total === 1 ? '' : 's'}` : ''}
      </p>
      {status === 'error' && error ? <ErrorState error={error} onRetry={() => void load()} what="members" /> : null}
      {count === 0 && status === 'loading' ? <Loading what="members" /> : null}
      {count === 0 && status === 'ready' ? (
        <EmptyState title="No members match">Members appear when your IdP provisions them.</EmptyState>
      ) : null}
      {count > 0 ? (
        <>
          <div className="mrow mrow-head" aria-hidden="true">
            <span>userName</span>
            <span>Name</span>
            <span>Role</span>
            <span>Status</span>
            <span>externalId</span>
            <span>Groups</span>
          </div>
          <VirtualList
            label="Members"
            idPrefix="member"
            count={count}
            rowHeight={ROW}
            height={400}
            className="members-list"
            renderRow={(i) => <Row index={i} />}
            onActivate={open}
            onEndReached={() => void more()}
          />
        </>
      ) : null}
    </>
  );
}
