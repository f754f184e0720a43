import type { Settings } from '../settings/settings.js';
import type { EventLogService } from './events.js';

/**
 * Background retention: prunes the event log by age and size in small batches, yielding between
 * them, so a large catch-up never holds SQLite's write lock long enough to delay a SCIM request.
 */
export function startRetention(
  events: EventLogService,
  settings: () => Settings,
  opts: { intervalMs?: number; now?: () => Date; log?: (msg: string, err?: unknown) => void } = {},
): { stop(): void; runOnce(): Promise<number> } {
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      let total = 0;
      try {
        for (let i = 0; i < 10_000 && !stopped; i++) {
          const s = settings();
          const n = events.pruneStep(now(), s.eventRetentionDays, s.eventRetentionMaxMb * 1024 * 1024);
          total += n;
          if (n === 0) break;
          await new Promise((r) => setImmediate(r));
        }
      } catch (e) {
        opts.log?.('event-log retention failed; will retry', e);
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  };
  const timer = setInterval(() => void runOnce(), opts.intervalMs ?? 60_000);
  timer.unref();
  void runOnce();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    runOnce,
  };
}
