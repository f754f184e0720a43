import { useEffect, useState } from 'react';
import type { ConsoleError, TokenListItem } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';
import { CreateToken } from './CreateToken';
import { Rotation } from './Rotation';

const stateTone = { active: 'ok', expired: 'warn', revoked: 'bad' } as const;

function Usage({ t }: { t: TokenListItem }) {
  const pct = t.usage.burst > 0 ? Math.min(100, Math.round((t.usage.used / t.usage.burst) * 100)) : 0;
  return (
    <span className="usage" title={`${t.usage.used} of ${t.usage.burst} burst used; ${t.usage.perSecond}/s sustained`}>
      <meter min={0} max={100} value={pct} aria-label={`Rate-limit usage for ${t.label}`} />
      <span className="muted">
        {pct}% · {t.rateLimitedCount} limited
      </span>
    </span>
  );
}

function RevokeDialog({ token, onClose }: { token: TokenListItem | null; onClose: () => void }) {
  const revoke = useStore((s) => s.revokeToken);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);
  return (
    <Dialog title="Revoke token?" open={token !== null} onClose={onClose}>
      <p>
        Requests with <strong>{token?.label}</strong> ({token?.prefix}…) will be refused at once. This cannot be undone.
      </p>
      <InlineError error={error} />
      <div className="dialog-actions">
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="danger"
          busy={busy}
          onClick={async () => {
            if (!token) return;
            setBusy(true);
            const r = await revoke(token.id);
            setBusy(false);
            if (r.ok) onClose();
            else setError(r.error);
          }}
        >
          Revoke
        </Button>
      </div>
    </Dialog>
  );
}

function TokenRow({ t, onRevoke }: { t: TokenListItem; onRevoke: (t: TokenListItem) => void }) {
  const rotate = useStore((s) => s.startRotation);
  return (
    <tr>
      <td>
        <strong>{t.label}</strong>
        <div className="mono muted">{t.prefix}…</div>
      </td>
      <td>
        <Badge tone={stateTone[t.state]}>{t.state}</Badge>
        {t.revokedAt ? (
          <div className="muted">
            <RelativeTime iso={t.revokedAt} compact />
          </div>
        ) : null}
      </td>
      <td>
        <RelativeTime iso={t.lastUsedAt} compact />
        <div className="mono muted">{t.lastUsedIp ?? ''}</div>
      </td>
      <td>
        {/* A revoked token no longer expires: its revoke time sits under the state, never under Expires. */}
        {t.state === 'revoked' ? <span className="muted">—</span> : <RelativeTime iso={t.expiresAt} empty="never" compact />}
      </td>
      <td>{t.requestCount}</td>
      <td>
        <Usage t={t} />
      </td>
      <td className="actions">
        {t.state === 'active' ? (
          <>
            <Button onClick={() => rotate(t.id, t.label)} aria-label={`Rotate ${t.label}`}>
              Rotate
            </Button>
            <Button variant="danger" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.label}`}>
              Revoke
            </Button>
          </>
        ) : null}
      </td>
    </tr>
  );
}

function Hygiene() {
  const hygiene = useStore((s) => s.hygiene);
  const items = hygiene.data?.filter((h) => h.issues.length > 0) ?? [];
  if (items.length === 0) return null;
  return (
    <Section title="Token hygiene">
      <ul className="alert-list">
        {items.flatMap((h) =>
          h.issues.map((i) => (
            <li key={`${h.id}:${i.kind}`} className="alert alert-warning">
              <Badge tone="warn">{i.kind}</Badge> <strong>{h.label}:</strong> {i.detail}
            </li>
          )),
        )}
      </ul>
    </Section>
  );
}

export function TokensScreen() {
  const tokens = useStore((s) => s.tokens);
  const load = useStore((s) => s.loadTokens);
  const [revoking, setRevoking] = useState<TokenListItem | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Tokens" />
      <Section title="New token">
        <CreateToken />
      </Section>
      <Hygiene />
      <Section title="All tokens">
        <RemoteView remote={tokens} what="tokens" retry={() => void load()}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No tokens yet">Create one above and paste it into your IdP's SCIM settings.</EmptyState>
            ) : (
              <Table caption="SCIM bearer tokens" head={['Token', 'State', 'Last used', 'Expires', 'Requests', 'Rate limit', 'Actions']}>
                {list.map((t) => (
                  <TokenRow key={t.id} t={t} onRevoke={setRevoking} />
                ))}
              </Table>
            )
          }
        </RemoteView>
      </Section>
      <RevokeDialog key={revoking?.id ?? 'none'} token={revoking} onClose={() => setRevoking(null)} />
      <Rotation />
    </>
  );
}
