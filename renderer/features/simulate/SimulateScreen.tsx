import { type FormEvent, useState } from 'react';
import { useStore } from '../../app/store';
import { Badge, StatusCode } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { ScreenHeader, Section } from '../../ui/Section';
import { Spinner } from '../../ui/Spinner';

function Steps() {
  const steps = useStore((s) => s.simSteps);
  const running = useStore((s) => s.simRunning);
  const summary = useStore((s) => s.simSummary);
  if (steps.length === 0 && !running)
    return <EmptyState title="No run yet">Pick an IdP and run it to watch every SCIM call it makes.</EmptyState>;
  return (
    <>
      {summary ? (
        <p className={summary.failed === 0 ? 'ok-text' : 'inline-error'} role="status" data-testid="sim-summary">
          {summary.idp} against {summary.target}: {summary.passed} passed, {summary.failed} failed.
        </p>
      ) : null}
      <ol className="steps" aria-label="Simulator steps" aria-live="polite">
        {steps.map((s) => (
          <li key={s.index} className={s.ok ? 'step step-ok' : 'step step-bad'}>
            <Badge tone={s.ok ? 'ok' : 'bad'}>{s.ok ? 'pass' : 'fail'}</Badge>
            <span className="step-name">{s.name}</span>
            <span className="mono muted truncate">
              {s.method} {s.path}
            </span>
            <StatusCode status={s.status} />
            {s.detail ? <span className="step-detail">{s.detail}</span> : null}
          </li>
        ))}
        {running ? (
          <li className="step step-running">
            <Spinner small label="Running" /> running…
          </li>
        ) : null}
      </ol>
    </>
  );
}

export function SimulateScreen() {
  const run = useStore((s) => s.runSimulation);
  const running = useStore((s) => s.simRunning);
  const error = useStore((s) => s.simError);
  const scimUrl = useStore((s) => s.status.data?.scimUrl ?? '');
  const [idp, setIdp] = useState<'okta' | 'entra'>('okta');
  const [where, setWhere] = useState<'self' | 'other'>('self');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(idp, where === 'other' ? { url: url.trim(), token: token.trim() } : undefined);
  };
  return (
    <>
      <ScreenHeader title="Test sync" />
      <Section title="Simulator">
        <form className="sim-form" onSubmit={submit} aria-label="Run the IdP simulator">
          <fieldset>
            <legend>Identity provider</legend>
            <label className="radio">
              <input type="radio" name="idp" value="okta" checked={idp === 'okta'} onChange={() => setIdp('okta')} /> Okta
            </label>
            <label className="radio">
              <input type="radio" name="idp" value="entra" checked={idp === 'entra'} onChange={() => setIdp('entra')} /> Microsoft Entra ID
            </label>
          </fieldset>
          <fieldset>
            <legend>Target</legend>
            <label className="radio">
              <input type="radio" name="target" value="self" checked={where === 'self'} onChange={() => setWhere('self')} /> This node
              <span className="mono muted"> {scimUrl}</span>
            </label>
            <label className="radio">
              <input type="radio" name="target" value="other" checked={where === 'other'} onChange={() => setWhere('other')} /> Another SCIM
              endpoint
            </label>
            {where === 'other' ? (
              <div className="form-row">
                <Field label="SCIM base URL">
                  <input
                    type="url"
                    required
                    value={url}
                    onChange={(e) => setUrl(e.target.value)}
                    placeholder="https://example.com/scim/v2"
                  />
                </Field>
                <Field label="Bearer token">
                  <input type="password" required value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
                </Field>
              </div>
            ) : null}
          </fieldset>
          <Button type="submit" variant="primary" busy={running}>
            Run {idp === 'okta' ? 'Okta' : 'Entra'} simulation
          </Button>
        </form>
        <InlineError error={error} />
      </Section>
      <Section title="Steps">
        <Steps />
      </Section>
    </>
  );
}
