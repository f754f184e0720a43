import type { ConsoleError } from '../../server/console/contract';
import { Button } from './Button';

export function ErrorState({ error, onRetry, what }: { error: ConsoleError; onRetry?: () => void; what?: string }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{what ? `Could not load ${what}` : 'Something went wrong'}</p>
      <p className="state-body">
        {error.message}
        {error.field ? ` (field: ${error.field})` : ''}
      </p>
      {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
    </div>
  );
}

/** An inline error for a failed action (a form submit, a button), as opposed to a failed load. */
export function InlineError({ error }: { error: ConsoleError | null }) {
  if (!error) return null;
  return (
    <p className="inline-error" role="alert">
      {error.message}
      {error.field ? ` (field: ${error.field})` : ''}
    </p>
  );
}
