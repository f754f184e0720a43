import { type FormEvent, useState } from 'react';
import type { ConsoleError } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { Secret } from './Secret';

export function CreateToken() {
  const create = useStore((s) => s.createToken);
  const revealed = useStore((s) => s.revealedToken);
  const dismiss = useStore((s) => s.dismissRevealed);
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('90');
  const [cidrs, setCidrs] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const allowed = cidrs
      .split(/[\s,]+/)
      .map((c) => c.trim())
      .filter(Boolean);
    const r = await create({
      label: label.trim(),
      expiresInDays: expires === '' ? null : Number(expires),
      allowedCidrs: allowed.length ? allowed : null,
    });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else setLabel('');
  };

  return (
    <>
      <form className="form-row" onSubmit={(e) => void submit(e)} aria-label="Create token">
        <Field label="Label">
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={100} placeholder="e.g. Okta production" />
        </Field>
        <Field label="Expires in">
          <select value={expires} onChange={(e) => setExpires(e.target.value)}>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">1 year</option>
            <option value="">Never</option>
          </select>
        </Field>
        <Field label="Allowed source IPs (CIDR, optional)">
          <input value={cidrs} onChange={(e) => setCidrs(e.target.value)} placeholder="10.0.0.0/8, 203.0.113.7/32" />
        </Field>
        <Button type="submit" variant="primary" busy={busy}>
          Create token
        </Button>
      </form>
      <InlineError error={error} />
      <Dialog title={`Token created: ${revealed?.label ?? ''}`} open={revealed !== null} onClose={dismiss}>
        {revealed ? <Secret token={revealed} /> : null}
        <div className="dialog-actions">
          <Button variant="primary" onClick={dismiss}>
            I have copied it
          </Button>
        </div>
      </Dialog>
    </>
  );
}
