import type { ReactNode } from 'react';
import type { Remote } from '../api/remote';
import { ErrorState } from './ErrorState';
import { Loading } from './Spinner';

/** Renders the loading, error and ready states of a Remote value the same way on every screen. */
export function RemoteView<T>({
  remote,
  what,
  retry,
  children,
}: {
  remote: Remote<T>;
  what: string;
  retry?: () => void;
  children: (data: T) => ReactNode;
}) {
  if (remote.status === 'error' && remote.data === null) return <ErrorState error={remote.error} onRetry={retry} what={what} />;
  if (remote.data === null) return <Loading what={what} />;
  return (
    <>
      {remote.status === 'error' ? <ErrorState error={remote.error} onRetry={retry} what={what} /> : null}
      {children(remote.data)}
    </>
  );
}
