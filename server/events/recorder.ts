import { uuidv7 } from '../ids.js';
import type { Db } from '../store/db.js';
import type { EventsRepo, NewEvent } from '../store/events-repo.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import type { Bus } from './bus.js';
import { type Suppressed, UnauthorizedAggregator } from './unauthorized.js';

interface Usage {
  at: string;
  ip: string | null;
  count: number;
}

const MAX_BATCH = 256;
/** How long the first exchange of a batch may wait for company before the batch is written. */
export const COMMIT_WINDOW_MS = 20;

/**
 * Stores exchanges with group commit: the exchanges that finish within a short window (20 ms, or
 * 256 of them) are written in one transaction (event rows, payloads, and one usage update per
 * token). Most of an event's cost is the index pages it dirties, and events of one window share
 * them, so under load a request costs a fraction of a lone commit; a lone request is written 20 ms
 * after its response. Readers in this process call `flush()` first (the event-log and token
 * services do), so they always see every finished request; other processes (the CLI) see it once
 * the window closes. The bus hears of an event only after commit.
 */
export class EventRecorder {
  private queue: NewEvent[] = [];
  private scheduled = false;
  private readonly writeBatch: (batch: NewEvent[]) => number[];
  /** Repeated 401s from one source are counted, then stored as one row per window. */
  readonly unauthorized: UnauthorizedAggregator;

  constructor(
    db: Db,
    events: EventsRepo,
    tokens: TokensRepo,
    private readonly bus: Bus,
    readonly enabled: boolean,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.unauthorized = new UnauthorizedAggregator((s) => this.record(summaryOf(s)));
    this.writeBatch = db.transaction((batch: NewEvent[]) => {
      const usage = new Map<string, Usage>();
      const ids: number[] = [];
      for (const e of batch) {
        // Simulated requests (the simulator, the node's own token test) are not the IdP using its token.
        if (e.tokenId && !e.simulated) {
          const u = usage.get(e.tokenId);
          usage.set(e.tokenId, { at: e.time, ip: e.sourceIp, count: (u?.count ?? 0) + 1 });
        }
        ids.push(this.enabled ? events.insert(e) : 0);
      }
      for (const [id, u] of usage) tokens.markUsed(id, u.at, u.ip, u.count);
      return ids;
    });
  }

  record(e: NewEvent): void {
    this.queue.push(e);
    if (this.queue.length >= MAX_BATCH) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flush();
    }, COMMIT_WINDOW_MS);
  }

  /** Writes everything pending, 401 summaries of windows still open included (at shutdown). */
  close(): void {
    this.unauthorized.sweep(this.now().getTime(), true);
    this.flush();
  }

  flush(): void {
    this.unauthorized.sweep(this.now().getTime());
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let ids: number[];
    try {
      ids = this.writeBatch(batch);
    } catch (e) {
      // One bad row must not cost the whole batch its events: write them one by one, and a row that
      // still fails as a bounded record without its payloads, so no request goes unrecorded.
      this.log(`could not record ${batch.length} SCIM request(s) as one batch; retrying one by one`, e);
      ids = batch.map((ev) => this.writeAlone(ev));
    }
    batch.forEach((e, i) => {
      const id = ids[i] ?? 0;
      if (id === 0) return;
      this.bus.emit('events.appended', {
        id,
        time: e.time,
        requestId: e.requestId,
        method: e.method,
        path: e.path,
        status: e.status,
        latencyMs: e.latencyMs,
        tokenId: e.tokenId,
        sourceIp: e.sourceIp,
        userAgent: e.userAgent,
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        userName: e.userName,
        simulated: e.simulated === true,
      });
    });
  }

  private writeAlone(e: NewEvent): number {
    try {
      return this.writeBatch([e])[0] ?? 0;
    } catch (first) {
      try {
        return this.writeBatch([minimalEvent(e, `payload left out: it could not be stored (${errorName(first)})`)])[0] ?? 0;
      } catch (second) {
        this.log(`could not record SCIM request ${e.requestId} in the event log`, second);
        return 0;
      }
    }
  }
}

const errorName = (e: unknown): string => (e instanceof Error ? e.name : typeof e);

/** The bounded record of a request: who, what, when and the outcome, with the reason its payloads are missing. */
export function minimalEvent(e: NewEvent, why: string): NewEvent {
  return {
    ...e,
    path: String(e.path).slice(0, 2048),
    userAgent: e.userAgent === null ? null : String(e.userAgent).slice(0, 256),
    userName: e.userName === null ? null : String(e.userName).slice(0, 256),
    notes: [why],
    changes: Array.isArray(e.changes) ? e.changes : [],
    requestHeaders: {},
    requestBody: null,
    requestBodyReceived: null,
    responseHeaders: {},
    responseBody: null,
  };
}

function summaryOf(s: Suppressed): NewEvent {
  return {
    time: new Date(s.lastAt).toISOString(),
    requestId: uuidv7(),
    method: s.method,
    path: s.path,
    status: 401,
    latencyMs: 0,
    tokenId: s.tokenId,
    sourceIp: s.source === 'other sources' ? null : s.source,
    userAgent: s.userAgent,
    resourceType: null,
    resourceId: null,
    userName: null,
    notes: [
      `${s.count} more request(s) from ${s.source} were answered 401 between ${new Date(s.firstAt).toISOString()} and ` +
        `${new Date(s.lastAt).toISOString()}; they are counted in this one row instead of one row each`,
      ...s.notes,
    ],
    changes: [],
    requestHeaders: {},
    requestBody: null,
    responseBody: null,
  };
}
