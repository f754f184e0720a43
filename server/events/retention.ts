import type { Settings } from '../settings/settings.js';
import type { EventLogService } from './events.js';

/** Schedules `fn` every `ms`; the default is an unref'd setInterval, tests pass a manual one. */
export type Every = (fn: () => void, ms: number) => { stop(): void };

const everyInterval: Every = (fn, ms) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};

const MAX_STEPS = 10_000;
const BATCH = 500;

/**
 * Background retention: prunes the event log by age and by the size of the event tables, in small
 * batches, yielding between them, so a large catch-up never holds SQLite's write lock long enough to
 * delay a SCIM request. A pass that finds nothing to do ends like any other, and the next tick runs
 * a fresh pass.
 */
export function startRetention(
  events: EventLogService,
  settings: () => Settings,
  opts: { intervalMs?: number; now?: () => Date; log?: (msg: string, err?: unknown) => void; every?: Every } = {},
): { stop(): void; runOnce(): Promise<number> } {
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<number> | null = null;
  const yieldTurn = () => new Promise((r) => setImmediate(r));

  const pass = async (): Promise<number> => {
    let total = 0;
    try {
      const s = settings();
      for (let i = 0; i < MAX_STEPS && !stopped; i++) {
        const n = events.pruneAged(now(), s.eventRetentionDays, BATCH);
        total += n;
        if (n === 0) break;
        await yieldTurn();
      }
      // Measured once per pass: the walk over the event pages is the costly part.
      let excess = stopped ? 0 : events.excessRows(s.eventRetentionMaxMb * 1024 * 1024);
      for (let i = 0; i < MAX_STEPS && excess > 0 && !stopped; i++) {
        const n = events.pruneOldestStep(Math.min(BATCH, excess));
        total += n;
        excess -= n;
        if (n === 0) break;
        await yieldTurn();
      }
    } catch (e) {
      opts.log?.('event-log retention failed; will retry', e);
    }
    return total;
  };

  const runOnce = (): Promise<number> => {
    if (running) return running;
    // The pass may finish without ever awaiting; clearing `running` in a .finally of the promise we
    // hold (not inside the pass) is what keeps a settled pass from being returned forever.
    const p = pass();
    running = p;
    void p.finally(() => {
      if (running === p) running = null;
    });
    return p;
  };
  const timer = (opts.every ?? everyInterval)(() => void runOnce(), opts.intervalMs ?? 60_000);
  void runOnce();
  return {
    stop() {
      stopped = true;
      timer.stop();
    },
    runOnce,
  };
}
