import type { ReactNode } from 'react';
import { CopyButton } from './CopyButton';

/** The warning above a secret the node shows once (a token, a client secret, a signing secret). */
export function OnceWarning({ children }: { children: ReactNode }) {
  return (
    <p className="secret-warning" role="alert">
      {children}
    </p>
  );
}

/** A secret's plaintext with its copy button; the caller's row element wraps it. */
export function SecretValue({ value, what, testId }: { value: string; what: string; testId: string }) {
  return (
    <>
      <code className="secret-value" data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} what={what} />
    </>
  );
}
