import type { Db } from '../store/db.js';
import type { EventsRepo, NewEvent } from '../store/events-repo.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import type { Bus } from './bus.js';

interface Usage {
  at: string;
  ip: string | null;
  count: number;
}

/**
 * Stores exchanges with group commit. While other requests are still in flight, a finished exchange
 * waits (at most one turn of the event loop) and is written together with its neighbours in one
 * transaction — event rows, payloads, and one usage update per token — so under load many requests
 * share a commit. When the node goes idle the queue is written at once, so a client that reads the
 * log after its response always finds its request. Either way the bus hears of it after commit.
 */
export class EventRecorder {
  private queue: NewEvent[] = [];
  private scheduled = false;
  private readonly writeBatch: (batch: NewEvent[]) => number[];

  constructor(
    db: Db,
    events: EventsRepo,
    tokens: TokensRepo,
    private readonly bus: Bus,
    readonly enabled: boolean,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.writeBatch = db.transaction((batch: NewEvent[]) => {
      const usage = new Map<string, Usage>();
      const ids: number[] = [];
      for (const e of batch) {
        if (e.tokenId) {
          const u = usage.get(e.tokenId);
          usage.set(e.tokenId, { at: e.time, ip: e.sourceIp, count: (u?.count ?? 0) + 1 });
        }
        ids.push(this.enabled ? events.insert(e) : 0);
      }
      for (const [id, u] of usage) tokens.markUsed(id, u.at, u.ip, u.count);
      return ids;
    });
  }

  /** `busy`: other requests are still in flight, so this one may wait for a shared commit. */
  record(e: NewEvent, busy: boolean): void {
    this.queue.push(e);
    if (!busy) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let ids: number[];
    try {
      ids = this.writeBatch(batch);
    } catch (e) {
      this.log(`could not record ${batch.length} SCIM request(s) in the event log`, e);
      return;
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
      });
    });
  }
}
