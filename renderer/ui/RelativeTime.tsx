import { useSyncExternalStore } from 'react';
import { localTime, relative } from './time';

// One shared 30-second clock for every relative time on screen, instead of a timer per cell.
let now = Date.now();
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(fn: () => void): () => void {
  subscribers.add(fn);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const s of subscribers) s();
  }, 30_000);
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export const useNow = (): number => useSyncExternalStore(subscribe, () => now);

export function RelativeTime({ iso, empty = 'never', compact = false }: { iso: string | null; empty?: string; compact?: boolean }) {
  const t = useNow();
  if (!iso) return <span className="muted">{empty}</span>;
  const rel = relative(iso, Math.max(t, Date.now() - 1000));
  return (
    <time dateTime={iso} title={localTime(iso)} className="reltime">
      {compact ? rel : localTime(iso)}
      {compact ? null : <span className="muted"> ({rel})</span>}
    </time>
  );
}
