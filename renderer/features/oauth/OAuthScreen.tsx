import { type FormEvent, useEffect, useState } from 'react';
import type { OAuthClientSummary } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { Dialog } from '../../ui/Dialog';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { RelativeTime } from '../../ui/RelativeTime';
import { RemoteView } from '../../ui/RemoteView';
import { OnceWarning, SecretValue } from '../../ui/SecretValue';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';

function CreateClient() {
  const create = useStore((s) => s.createOAuth);
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await create(name)) setName('');
  };
  return (
    <form className="form-row" aria-label="New OAuth client" onSubmit={(e) => void submit(e)}>
      <Field label="Client name">
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Okta (OAuth)" required />
      </Field>
      <Button type="submit" variant="primary">
        Create client
      </Button>
    </form>
  );
}

/** Rotation keeps the old secret working for a grace period, so the IdP can be updated without downtime. */
function Rotate({ c }: { c: OAuthClientSummary }) {
  const rotate = useStore((s) => s.rotateOAuth);
  const [grace, setGrace] = useState('24');
  return (
    <span className="row-actions">
      <Field label={`Grace hours for ${c.name}`} inline>
        <input type="number" min={0} max={2160} value={grace} onChange={(e) => setGrace(e.target.value)} className="num-input" />
      </Field>
      <Button onClick={() => void rotate(c.id, grace === '' ? null : Number(grace))} aria-label={`Rotate secret of ${c.name}`}>
        Rotate secret
      </Button>
    </span>
  );
}

function Client({ c }: { c: OAuthClientSummary }) {
  const revoke = useStore((s) => s.revokeOAuth);
  const live = c.state === 'active';
  return (
    <Section
      title={c.name}
      actions={
        <>
          <Badge tone={live ? 'ok' : 'bad'}>{c.state}</Badge>
          {live ? <Rotate c={c} /> : null}
          {live ? (
            <Button variant="danger" onClick={() => void revoke(c.id)} aria-label={`Revoke client ${c.name}`}>
              Revoke client
            </Button>
          ) : null}
        </>
      }
    >
      <p className="muted">
        client_id <code className="mono">{c.id}</code> <CopyButton text={c.id} what="client_id" /> · created{' '}
        <RelativeTime iso={c.createdAt} compact /> · last used <RelativeTime iso={c.lastUsedAt} compact />
      </p>
      <Table caption={`Secrets of ${c.name}`} head={['Secret', 'State', 'Created', 'Expires', 'Last used', '']}>
        {c.secrets.map((s) => (
          <tr key={s.id}>
            <td className="mono">{s.hint}…</td>
            <td>
              <Badge tone={s.state === 'active' ? 'ok' : 'bad'}>{s.state}</Badge>
            </td>
            <td>
              <RelativeTime iso={s.createdAt} compact />
            </td>
            <td>{s.revokedAt ? '—' : <RelativeTime iso={s.expiresAt} empty="no expiry" compact />}</td>
            <td>
              <RelativeTime iso={s.lastUsedAt} compact />
            </td>
            <td>
              {live && s.state === 'active' ? (
                <Button onClick={() => void revoke(c.id, s.id)} aria-label={`Revoke secret ${s.hint} of ${c.name}`}>
                  Revoke
                </Button>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function SecretDialog() {
  const secret = useStore((s) => s.revealedSecret);
  const dismiss = useStore((s) => s.dismissSecret);
  return (
    <Dialog title={secret ? `Client secret for ${secret.client.name}` : 'Client secret'} open={secret !== null} onClose={dismiss}>
      {secret ? (
        <div className="secret">
          <OnceWarning>
            Copy this secret now. <strong>You will not see this again.</strong>
          </OnceWarning>
          <dl className="kv">
            <dt>client_id</dt>
            <dd className="mono">{secret.client.id}</dd>
            <dt>client_secret</dt>
            <dd className="secret-row">
              <SecretValue value={secret.clientSecret} what="client secret" testId="oauth-secret" />
            </dd>
          </dl>
          <Button variant="primary" onClick={dismiss}>
            I have copied it
          </Button>
        </div>
      ) : null}
    </Dialog>
  );
}

export function OAuthScreen() {
  const clients = useStore((s) => s.oauthClients);
  const error = useStore((s) => s.oauthError);
  const load = useStore((s) => s.loadOAuth);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="OAuth clients" />
      <Section title="New client">
        <p className="muted">
          For IdPs that fetch an access token with the client credentials grant (RFC 6749 §4.4) instead of a static bearer token.
        </p>
        <CreateClient />
        <InlineError error={error} />
      </Section>
      <RemoteView remote={clients} what="OAuth clients" retry={() => void load()}>
        {(list) => (list.length === 0 ? <EmptyState title="No OAuth clients yet" /> : list.map((c) => <Client key={c.id} c={c} />))}
      </RemoteView>
      <SecretDialog />
    </>
  );
}
