import { useEffect } from 'react';
import type { MemberDetail as Detail } from '../../../server/console/contract';
import type { Remote } from '../../api/remote';
import { hrefOf } from '../../app/routes';
import { useStore } from '../../app/store';
import { Badge, RoleBadge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { JsonTree } from '../../ui/JsonTree';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { Timeline } from '../../ui/Timeline';

/** Extension values (issue #16): custom attributes are visible where the member is, declared or not. */
function Extensions({ m }: { m: Detail }) {
  if (m.extensions.length === 0) return null;
  return (
    <Section title="Extension attributes">
      {m.extensions.map((x) => (
        <div key={x.urn}>
          <p>
            <span className="mono">{x.urn}</span>{' '}
            {x.declared ? null : (
              <a href={hrefOf('schemas')}>
                <Badge tone="warn">undeclared</Badge>
              </a>
            )}
          </p>
          <dl className="kv">
            {x.attributes.map((a) => (
              <div key={a.name}>
                <dt>{a.name}</dt>
                <dd className="mono">{typeof a.value === 'string' ? a.value : JSON.stringify(a.value)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </Section>
  );
}

function Why({ m }: { m: Detail }) {
  const { explain } = m;
  return (
    <Section title="Why this role">
      <p data-testid="explain">
        {explain.suspended ? (
          'Inactive members hold no role while suspended.'
        ) : explain.role ? (
          <>
            <RoleBadge role={explain.role} /> comes from group <strong>{explain.group}</strong>, the highest-ranked mapped group.
          </>
        ) : (
          'No group this member belongs to is mapped to a role.'
        )}
      </p>
      {explain.candidates.length > 0 ? (
        <Table caption="Mapped groups considered" head={['Group', 'Role', 'Membership']}>
          {explain.candidates.map((c) => (
            <tr key={c.groupId}>
              <td>{c.groupName}</td>
              <td>
                <RoleBadge role={c.role} />
              </td>
              <td>{c.direct ? 'direct' : 'nested'}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Section>
  );
}

function History({ m }: { m: Detail }) {
  return (
    <Section title="History">
      {m.history.length === 0 ? (
        <EmptyState title="No role or access changes recorded" />
      ) : (
        <Table caption="Access history" head={['When', 'What', 'Role', 'Group', 'By', 'Request']}>
          {m.history.map((h) => (
            <tr key={h.id}>
              <td>
                <RelativeTime iso={h.time} />
              </td>
              <td>{h.kind}</td>
              <td>
                {h.oldRole ?? '—'} → {h.newRole ?? '—'}
              </td>
              <td>{h.groupName ?? '—'}</td>
              <td>{h.actor}</td>
              <td>{h.requestId ? <a href={hrefOf('events', null, { request: h.requestId })}>request</a> : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

export function MemberDetailView({ id }: { id: string }) {
  const detail = useStore((s) => s.memberDetail);
  const load = useStore((s) => s.loadMember);
  const setActive = useStore((s) => s.setMemberActive);
  const actionError = useStore((s) => s.memberActionError);
  const timeline = useStore((s) => s.timeline);
  const loadTimeline = useStore((s) => s.loadTimeline);
  useEffect(() => {
    void load(id);
    void loadTimeline(id);
  }, [id, load, loadTimeline]);
  const m = detail.data?.id === id ? detail.data : null;
  // Until this member's record arrives, show loading (or its error), not the previous member.
  const remote: Remote<Detail> = m
    ? detail
    : detail.status === 'error'
      ? { ...detail, data: null }
      : { status: 'loading', data: null, error: null };
  return (
    <>
      <ScreenHeader title={m ? m.userName : 'Member'}>
        <a className="btn btn-ghost" href={hrefOf('members')}>
          ← All members
        </a>
      </ScreenHeader>
      <RemoteView remote={remote} what="member" retry={() => void load(id)}>
        {() =>
          m ? (
            <>
              <Section
                title="Member"
                actions={
                  <Button variant={m.active ? 'danger' : 'primary'} onClick={() => void setActive(m.id, !m.active)}>
                    {m.active ? 'Deactivate' : 'Reactivate'}
                  </Button>
                }
              >
                <InlineError error={actionError} />
                <dl className="kv">
                  <dt>Name</dt>
                  <dd>{m.displayName ?? '—'}</dd>
                  <dt>Status</dt>
                  <dd>{m.active ? <Badge tone="ok">active</Badge> : <Badge tone="bad">inactive</Badge>}</dd>
                  <dt>Role</dt>
                  <dd>
                    <RoleBadge role={m.role} />
                  </dd>
                  <dt>externalId</dt>
                  <dd className="mono">{m.externalId ?? '—'}</dd>
                  <dt>Groups</dt>
                  <dd>{m.groups.join(', ') || '—'}</dd>
                  <dt>Origin</dt>
                  <dd>{m.origin === 'scim' ? 'provisioned by the IdP' : 'added by an admin'}</dd>
                </dl>
              </Section>
              <Timeline id={m.id} name={m.userName} remote={timeline} retry={() => void loadTimeline(id)} />
              <Extensions m={m} />
              <Why m={m} />
              <History m={m} />
              <Section title="SCIM resource">
                <JsonTree value={m.resource} label="SCIM resource" openDepth={1} />
              </Section>
            </>
          ) : null
        }
      </RemoteView>
    </>
  );
}
