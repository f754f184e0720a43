import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { Conflict, ConflictSide } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { RoleBadge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { Section } from '../../ui/Section';
import { Table } from '../../ui/Table';

const status = (s: ConflictSide) => (s.active === null ? 'active (not sent)' : s.active ? 'active' : 'suspended');

/** What linking changes, in words, before anything changes: "externalId 00u1alice → 00u2other for alice@…; role admin stays". */
export const linkChange = (c: Conflict): string | null =>
  c.existing?.externalId && c.existing.externalId !== c.externalId
    ? `externalId ${c.existing.externalId} → ${c.externalId ?? '—'} for ${c.existing.userName}; role ${c.existing.role ?? 'none'} stays`
    : null;

/** The existing member and the IdP's create, field by field (RFC 7643 §3.1 externalId is the IdP's own id). */
function SideBySide({ c }: { c: Conflict }) {
  const e = c.existing;
  const rows: [string, ReactNode, ReactNode][] = [
    ['userName', e ? e.userName : '—', c.incoming.userName],
    ['externalId', e ? (e.externalId ?? 'none') : '—', c.incoming.externalId ?? 'none'],
    ['Status', e ? status(e) : 'deleted', status(c.incoming)],
    ['Role', e ? <RoleBadge role={e.role} /> : '—', 'decided by groups'],
    [
      'Last IdP activity',
      e ? <RelativeTime iso={e.lastIdpActivity} empty="none yet" /> : '—',
      <RelativeTime key="in" iso={c.incoming.lastIdpActivity} />,
    ],
  ];
  return (
    <Table caption={`Conflict ${c.id}: existing member and incoming create`} head={['', 'Existing member', 'Incoming from the IdP']}>
      {rows.map(([label, left, right]) => (
        <tr key={label}>
          <th scope="row">{label}</th>
          <td className="mono">{left}</td>
          <td className="mono">{right}</td>
        </tr>
      ))}
    </Table>
  );
}

function Review({ c, onClose }: { c: Conflict; onClose: () => void }) {
  const link = useStore((s) => s.linkConflict);
  const dismiss = useStore((s) => s.dismissConflict);
  const error = useStore((s) => s.conflictError);
  const [step, setStep] = useState<'review' | 'confirm' | 'dismiss'>('review');
  const [reason, setReason] = useState('');
  const change = linkChange(c);
  const doLink = async (replace: boolean) => {
    if (await link(c.id, replace)) onClose();
  };
  const doDismiss = async (e: FormEvent) => {
    e.preventDefault();
    if (await dismiss(c.id, reason)) onClose();
  };
  return (
    <Dialog title={`Review conflict: ${c.userName}`} open onClose={onClose}>
      <SideBySide c={c} />
      <InlineError error={error} />
      {step === 'confirm' && change ? (
        <div role="alert" className="warn-text">
          <p>
            <strong>Replace the IdP id?</strong> {change}. The IdP that sent {c.existing?.externalId} will no longer find this member.
          </p>
          <div className="dialog-actions">
            <Button onClick={() => setStep('review')}>Back</Button>
            <Button variant="danger" onClick={() => void doLink(true)}>
              Replace externalId
            </Button>
          </div>
        </div>
      ) : step === 'dismiss' ? (
        <form onSubmit={(e) => void doDismiss(e)} aria-label="Dismiss conflict">
          <Field label="Reason (kept with the conflict)">
            <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
          </Field>
          <div className="dialog-actions">
            <Button onClick={() => setStep('review')}>Back</Button>
            <Button type="submit" variant="primary" disabled={!reason.trim()}>
              Dismiss conflict
            </Button>
          </div>
        </form>
      ) : (
        <div className="dialog-actions">
          <Button onClick={onClose}>Close</Button>
          <Button onClick={() => setStep('dismiss')}>Dismiss…</Button>
          {c.existing ? (
            <Button variant="primary" onClick={() => (change ? setStep('confirm') : void doLink(false))}>
              {change ? 'Replace externalId…' : 'Link externalId'}
            </Button>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}

/** SCIM creates that collided with an existing member: review both sides, then link (confirmed) or dismiss with a reason. */
export function ConflictQueue() {
  const conflicts = useStore((s) => s.conflicts);
  const load = useStore((s) => s.loadConflicts);
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Section title="Conflict queue">
      <RemoteView remote={conflicts} what="conflicts" retry={() => void load()}>
        {(list) => {
          const pending = list.filter((c) => c.status === 'open');
          const current = pending.find((c) => c.id === open);
          return pending.length === 0 ? (
            <EmptyState title="No conflicts waiting" />
          ) : (
            <>
              <Table
                caption="Open provisioning conflicts"
                head={['userName', 'Existing externalId', 'Incoming externalId', 'When', 'Action']}
              >
                {pending.map((c) => (
                  <tr key={c.id}>
                    <td className="mono">{c.userName}</td>
                    <td className="mono">{c.existing ? (c.existing.externalId ?? 'none') : 'member deleted'}</td>
                    <td className="mono">{c.externalId ?? '—'}</td>
                    <td>
                      <RelativeTime iso={c.time} compact />
                    </td>
                    <td>
                      <Button variant="primary" onClick={() => setOpen(c.id)} aria-label={`Review conflict for ${c.userName}`}>
                        Review
                      </Button>
                    </td>
                  </tr>
                ))}
              </Table>
              {current ? <Review c={current} onClose={() => setOpen(null)} /> : null}
            </>
          );
        }}
      </RemoteView>
    </Section>
  );
}
