/**
 * Aggregation of rejected (401) requests: the first one from a source in a window is recorded, and
 * the rest are counted, then recorded as one summary row when the window is over. An unauthenticated
 * caller can send requests as fast as it likes; without this each one would cost a full event row.
 * The wire answer is unchanged: only what is stored is aggregated.
 */
export const UNAUTHORIZED_WINDOW_MS = 60_000;
/** Sources tracked at once; beyond this, new sources share one bucket so memory stays bounded. */
export const MAX_TRACKED_SOURCES = 1024;

const OVERFLOW = 'other sources||';

export interface Suppressed {
  source: string;
  count: number;
  firstAt: number;
  lastAt: number;
  method: string;
  path: string;
  tokenId: string | null;
  userAgent: string | null;
  /** The notes of the latest counted request (the failure reason, a slow-down). */
  notes: string[];
}

interface Entry extends Suppressed {
  windowStart: number;
}

export class UnauthorizedAggregator {
  private readonly sources = new Map<string, Entry>();
  private lastSweep = 0;

  constructor(
    private readonly emit: (s: Suppressed) => void,
    private readonly windowMs = UNAUTHORIZED_WINDOW_MS,
  ) {}

  /** True when this 401 should be recorded on its own; false when it was counted instead. */
  admit(r: Rejected, now: number): boolean {
    this.sweep(now);
    // Repeats are the same source, principal and failure reason; a new reason gets its own row.
    let source = `${r.sourceIp ?? 'unknown'}|${r.tokenId ?? ''}|${r.notes[0] ?? ''}`;
    if (!this.sources.has(source) && this.sources.size >= MAX_TRACKED_SOURCES) source = OVERFLOW;
    const e = this.sources.get(source);
    if (!e) {
      const overflow = source === OVERFLOW;
      const origin = overflow ? 'other sources' : (r.sourceIp ?? 'unknown');
      this.sources.set(source, { source: origin, windowStart: now, count: overflow ? 1 : 0, firstAt: now, lastAt: now, ...pick(r) });
      return !overflow;
    }
    e.count++;
    e.lastAt = now;
    Object.assign(e, pick(r));
    return false;
  }

  /** Emits the summary of every window that has ended (all of them when `force`). */
  sweep(now: number, force = false): void {
    // At most one pass a second: a 401 flood must not pay for a scan of every source each time.
    if (!force && now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [key, e] of this.sources) {
      if (!force && now - e.windowStart < this.windowMs) continue;
      this.sources.delete(key);
      if (e.count > 0) this.emit(e);
    }
  }
}

interface Rejected {
  sourceIp: string | null;
  tokenId: string | null;
  method: string;
  path: string;
  userAgent: string | null;
  notes: string[];
}

const pick = (r: Rejected) => ({ tokenId: r.tokenId, method: r.method, path: r.path, userAgent: r.userAgent, notes: [...r.notes] });
