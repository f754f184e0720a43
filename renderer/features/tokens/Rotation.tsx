import { useState } from 'react';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { Secret } from './Secret';

const STEPS = ['New token', 'Test it', 'Revoke the old one'] as const;

/** Guided rotation: issue the successor (the old token keeps working for a grace period), test it, revoke the old. */
export function Rotation() {
  const rot = useStore((s) => s.rotation);
  const create = useStore((s) => s.rotateCreate);
  const test = useStore((s) => s.rotateTest);
  const revoke = useStore((s) => s.rotateRevokeOld);
  const end = useStore((s) => s.endRotation);
  const [grace, setGrace] = useState('24');
  if (!rot) return null;
  const at = rot.step === 'confirm' ? 0 : rot.step === 'created' ? 1 : 2;
  return (
    <Dialog title={`Rotate “${rot.oldLabel}”`} open onClose={end}>
      <ol className="stepper">
        {STEPS.map((s, i) => (
          <li
            key={s}
            className={i < at || rot.step === 'done' ? 'done' : i === at ? 'current' : ''}
            aria-current={i === at ? 'step' : undefined}
          >
            {s}
          </li>
        ))}
      </ol>
      {rot.step === 'confirm' ? (
        <>
          <p>A new token is issued now. The old one keeps working for the grace period so you can update the IdP.</p>
          <Field label="Grace period (hours)">
            <input type="number" min={0} max={720} value={grace} onChange={(e) => setGrace(e.target.value)} />
          </Field>
          <div className="dialog-actions">
            <Button onClick={end}>Cancel</Button>
            <Button variant="primary" busy={rot.busy} onClick={() => void create(Number(grace) || 0)}>
              Create new token
            </Button>
          </div>
        </>
      ) : null}
      {rot.created && rot.step !== 'done' ? <Secret token={rot.created} /> : null}
      {rot.step === 'created' ? (
        <>
          <p>Paste the new token into your IdP, then send a real SCIM request with it.</p>
          {rot.test && !rot.test.ok ? (
            <p className="inline-error" role="alert">
              Test failed (HTTP {rot.test.status}): {rot.test.detail}
            </p>
          ) : null}
          <div className="dialog-actions">
            <Button onClick={end}>Finish later</Button>
            <Button variant="primary" busy={rot.busy} onClick={() => void test()}>
              Test new token
            </Button>
          </div>
        </>
      ) : null}
      {rot.step === 'tested' ? (
        <>
          <p className="ok-text" role="status">
            New token works (HTTP {rot.test?.status}). {rot.test?.detail}
          </p>
          <div className="dialog-actions">
            <Button onClick={end}>Keep the old one for now</Button>
            <Button variant="danger" busy={rot.busy} onClick={() => void revoke()}>
              Revoke old token
            </Button>
          </div>
        </>
      ) : null}
      {rot.step === 'done' ? (
        <>
          <p className="ok-text" role="status">
            Rotation complete: the old token is revoked.
          </p>
          <div className="dialog-actions">
            <Button variant="primary" onClick={end}>
              Done
            </Button>
          </div>
        </>
      ) : null}
      <InlineError error={rot.error} />
    </Dialog>
  );
}
