import type { Db } from '../store/db.js';
import type { EventsRepo, NewEvent } from '../store/events-repo.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import type { Bus } from './bus.js';

/**
 * Stores one exchange: the event row, its payloads and the token's usage counters in a single
 * transaction (one commit per request instead of three), then announces it on the bus.
 */
export class EventRecorder {
  private readonly write: (e: NewEvent) => number;

  constructor(
    db: Db,
    events: EventsRepo,
    tokens: TokensRepo,
    private readonly bus: Bus,
    readonly enabled: boolean,
  ) {
    this.write = db.transaction((e: NewEvent) => {
      if (e.tokenId) tokens.markUsed(e.tokenId, e.time, e.sourceIp);
      return this.enabled ? events.insert(e) : 0;
    });
  }

  record(e: NewEvent): number {
    const id = this.write(e);
    if (id > 0) {
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
    }
    return id;
  }
}
