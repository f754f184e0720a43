import type { Db } from '../store/db.js';
import type { EventsRepo, NewEvent } from '../store/events-repo.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import type { Bus } from './bus.js';

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
        simulated: e.simulated === true,
      });
    });
  }
}
