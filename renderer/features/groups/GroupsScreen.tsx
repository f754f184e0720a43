import { useEffect, useState } from 'react';
import type { GroupSummary } from '../../../server/console/contract';
import { hrefOf, navigate } from '../../app/routes';
import { useStore } from '../../app/store';
import { Badge, RoleBadge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { Field } from '../../ui/Field';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { Timeline } from '../../ui/Timeline';
import { GROUP_MEMBER_PAGE, GROUP_PAGE } from './slice';

function Pager({
  offset,
  size,
  total,
  onPage,
  what,
}: {
  offset: number;
  size: number;
  total: number;
  onPage: (o: number) => void;
  what: string;
}) {
  if (total <= size) return null;
  return (
    <nav className="pager" aria-label={`${what} pages`}>
      <Button disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - size))}>
        Previous
      </Button>
      <span>
        {offset + 1}–{Math.min(total, offset + size)} of {total}
      </span>
      <Button disabled={offset + size >= total} onClick={() => onPage(offset + size)}>
        Next
      </Button>
    </nav>
  );
}

function GroupMembers({ group }: { group: GroupSummary }) {
  const members = useStore((s) => s.groupMembers);
  const offset = useStore((s) => s.groupMemberOffset);
  const page = useStore((s) => s.loadGroupMembers);
  return (
    <Section title={`Members of ${group.displayName}`} className="group-members">
      <p>
        Mapped role: <RoleBadge role={group.role} />
      </p>
      <RemoteView remote={members} what="group members" retry={() => void page(offset)}>
        {({ total, items }) =>
          total === 0 ? (
            <EmptyState title="This group has no members" />
          ) : (
            <>
              <Table caption={`Members of ${group.displayName}`} head={['Member', 'userName', 'Status', 'Type']}>
                {items.map((m) => (
                  <tr key={m.value}>
                    <td>
                      <a href={m.type === 'Group' ? hrefOf('groups', m.value) : hrefOf('members', m.value)}>{m.display}</a>
                    </td>
                    <td className="mono">{m.userName ?? '—'}</td>
                    <td>{m.active === null ? '—' : m.active ? <Badge tone="ok">active</Badge> : <Badge tone="bad">inactive</Badge>}</td>
                    <td>{m.type}</td>
                  </tr>
                ))}
              </Table>
              <Pager offset={offset} size={GROUP_MEMBER_PAGE} total={total} onPage={(o) => void page(o)} what="Group member" />
            </>
          )
        }
      </RemoteView>
    </Section>
  );
}

export function GroupsScreen() {
  const groups = useStore((s) => s.groups);
  const offset = useStore((s) => s.groupOffset);
  const search = useStore((s) => s.groupSearch);
  const load = useStore((s) => s.loadGroups);
  const selected = useStore((s) => s.selectedGroup);
  const select = useStore((s) => s.selectGroup);
  const param = useStore((s) => s.route.param);
  const timeline = useStore((s) => s.timeline);
  const loadTimeline = useStore((s) => s.loadTimeline);
  const [text, setText] = useState(search);
  // #/groups/<id> opens that group: a link or a reload lands on the same group.
  const page = groups.data;
  useEffect(() => {
    if (!param) {
      if (useStore.getState().selectedGroup) void select(null);
      return;
    }
    if (useStore.getState().selectedGroup?.id === param || !page) return;
    const g = page.items.find((x) => x.id === param) ?? { id: param, displayName: param, externalId: null, memberCount: 0, role: null };
    void select(g);
    void loadTimeline(param);
  }, [param, page, select, loadTimeline]);
  useEffect(() => {
    // Debounced search: reload 250 ms after typing stops (at once on first show).
    const t = setTimeout(() => void load(text, 0), text === useStore.getState().groupSearch ? 0 : 250);
    return () => clearTimeout(t);
  }, [load, text]);
  return (
    <>
      <ScreenHeader title="Groups" />
      <div className="grid-2">
        <Section title="Groups">
          <div className="form-row">
            <Field label="Search groups">
              <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="displayName" />
            </Field>
          </div>
          <RemoteView remote={groups} what="groups" retry={() => void load(search, offset)}>
            {({ total, items }) =>
              total === 0 ? (
                <EmptyState title={search ? 'No groups match' : 'No groups yet'}>Groups appear when your IdP pushes them.</EmptyState>
              ) : (
                <>
                  <Table caption="Groups" head={['displayName', 'Members', 'Mapped role', '']}>
                    {items.map((g) => (
                      <tr key={g.id} className={selected?.id === g.id ? 'row-selected' : undefined}>
                        <td>{g.displayName}</td>
                        <td>{g.memberCount}</td>
                        <td>
                          <RoleBadge role={g.role} />
                        </td>
                        <td>
                          <Button
                            onClick={() => navigate(hrefOf('groups', g.id))}
                            aria-label={`Show members of ${g.displayName}`}
                            aria-pressed={selected?.id === g.id}
                          >
                            Members
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </Table>
                  <Pager offset={offset} size={GROUP_PAGE} total={total} onPage={(o) => void load(search, o)} what="Group" />
                </>
              )
            }
          </RemoteView>
        </Section>
        {selected ? <GroupMembers group={selected} /> : <EmptyState title="Pick a group to see its members" />}
      </div>
      {selected ? (
        <Timeline id={selected.id} name={selected.displayName} remote={timeline} retry={() => void loadTimeline(selected.id)} />
      ) : null}
    </>
  );
}
