import { type FormEvent, type ReactNode, useState } from 'react';
import type { ConsoleError, CreatedToken } from '../../../server/console/contract';
import { call } from '../../api/call';
import { hrefOf } from '../../app/routes';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { ScreenHeader, Section } from '../../ui/Section';
import { entraTenantUrl, isLoopbackUrl } from './values';

/** One value to paste into the IdP, with its exact field name there and a copy button. */
function Value({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="setup-value">
      <span className="setup-label">{label}</span>
      <code data-testid={testId}>{value}</code>
      <CopyButton text={value} what={label} />
    </div>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <Section title={`${n}. ${title}`}>
      <div className="setup-step">{children}</div>
    </Section>
  );
}

/**
 * The first-run guide (the desktop app opens it on its first start): create the token the IdP will
 * use, paste the exact values into Okta or Microsoft Entra ID, then check the node with Test sync.
 */
export function SetupScreen() {
  const scimUrl = useStore((s) => s.status.data?.scimUrl ?? null);
  const [label, setLabel] = useState('My IdP');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await call('tokens.create', { label: label.trim(), expiresInDays: null, allowedCidrs: null });
    setBusy(false);
    if (r.ok) setCreated(r.value);
    else setError(r.error);
  };

  const url = scimUrl ?? '…';
  const token = created?.token ?? '(create the token in step 1)';
  return (
    <>
      <ScreenHeader title="Get started" />
      <p className="muted">Three steps connect an identity provider to this node. Nothing here is needed again afterwards.</p>
      <Step n={1} title="Create the token your IdP will use">
        {created ? (
          <div className="secret">
            <p className="secret-warning" role="alert">
              Token “{created.label}” created. Paste it into the IdP now: <strong>you will not see this again.</strong>
            </p>
          </div>
        ) : (
          <form className="form-row" onSubmit={(e) => void create(e)} aria-label="Create the first token">
            <Field label="Token label">
              <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={100} />
            </Field>
            <Button type="submit" busy={busy}>
              Create token
            </Button>
          </form>
        )}
        <InlineError error={error} />
      </Step>
      <Step n={2} title="Paste these values into your IdP">
        {scimUrl && isLoopbackUrl(scimUrl) ? (
          <p className="warn-text">
            This node listens on {new URL(scimUrl).host}, which only this computer can reach. A cloud IdP needs an address it can reach: set
            the listener in Settings (and TLS), or put a tunnel or reverse proxy in front.
          </p>
        ) : null}
        <section aria-label="Microsoft Entra ID steps">
          <h3>Microsoft Entra ID</h3>
          <ol>
            <li>Entra admin center → Enterprise applications → New application → Create your own application (Non-gallery).</li>
            <li>Provisioning → Provisioning Mode: Automatic → Admin Credentials.</li>
            <li>
              <Value label="Tenant URL" value={entraTenantUrl(url)} testId="entra-tenant-url" />
              <Value label="Secret Token" value={token} testId="entra-secret-token" />
            </li>
            <li>Test Connection, then Save. Assign users and groups, and set Provisioning Status to On.</li>
          </ol>
        </section>
        <section aria-label="Okta steps">
          <h3>Okta</h3>
          <ol>
            <li>Admin Console → Applications → your app → General → App Settings → Provisioning: SCIM → Save.</li>
            <li>Provisioning → Integration → Edit:</li>
            <li>
              <Value label="SCIM connector base URL" value={url} testId="okta-base-url" />
              <Value label="Unique identifier field for users" value="userName" testId="okta-unique-id" />
              <span className="setup-label">Supported provisioning actions: Push New Users, Push Profile Updates, Push Groups</span>
              <Value label="Authentication Mode" value="HTTP Header" testId="okta-auth-mode" />
              <Value label="Authorization (Bearer)" value={token} testId="okta-bearer" />
            </li>
            <li>Test Connector Configuration, then Save. Under To App, enable Create, Update and Deactivate Users.</li>
          </ol>
        </section>
      </Step>
      <Step n={3} title="Check it works">
        <p>Replay the requests Okta and Entra send, against this node, before the real IdP does.</p>
        <a className="btn btn-primary" href={hrefOf('simulate')}>
          Test sync
        </a>
      </Step>
    </>
  );
}
