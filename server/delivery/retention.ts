import type { ChangeEventsRepo } from '../store/change-events-repo.js';
import type { WebhooksRepo } from '../store/webhooks-repo.js';

const DAY = 86_400_000;
const BATCH = 2_000;

/**
 * One bounded step of change-feed retention: deletes up to a batch of events older than
 * `changeEventRetentionDays`, never one that an endpoint has not received yet (enabled or disabled:
 * only removing the endpoint or a dead letter lets go of an event), and old delivery attempts.
 * Returns how many rows went; the caller yields between steps so SCIM writes never wait long.
 */
export function pruneChangeFeedStep(events: ChangeEventsRepo, webhooks: WebhooksRepo, now: Date, retentionDays: number): number {
  const before = new Date(now.getTime() - retentionDays * DAY).toISOString();
  const held = webhooks.minCursor();
  const maxId = held === null ? events.newestId() : Math.min(held, events.newestId());
  return events.prune(before, maxId, BATCH) + webhooks.pruneAttempts(before, BATCH);
}
