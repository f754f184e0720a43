/**
 * Downstream delivery: webhook endpoints, attempts, dead letters and change events (issue #14).
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
/** A webhook endpoint as `webhook list` and the Deliveries screen show it (issue #14 §3–4). */
export interface WebhookEndpointSummary {
  id: string;
  label: string;
  url: string;
  /** Type patterns: "user.*", "group.member_added", "*". */
  events: string[];
  status: 'active' | 'failing' | 'disabled';
  lastDeliveryAt: string | null;
  lastStatus: number | null;
  /** Events this endpoint wants and has not received yet: its lag in events. */
  pendingEvents: number;
  /** Seconds since the oldest event it has not received happened: its lag in time. */
  lagSeconds: number;
  deadLettered: number;
  nextAttemptAt: string | null;
  /** Failed attempts of the event at the head of its queue. */
  attempts: number;
}

export interface WebhookAttemptItem {
  id: number;
  endpointId: string;
  /** 0 for a `ping` from "test". */
  eventId: number;
  eventType: string;
  time: string;
  /** HTTP status, or null when no answer came (refused, timed out). */
  status: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface DeadLetterItem {
  endpointId: string;
  eventId: number;
  eventType: string;
  deadAt: string;
  attempts: number;
  lastError: string | null;
  /** Queued for redelivery. */
  requeued: boolean;
}

/** A change event of the downstream feed, as the event detail of the request that caused it lists it. */
export interface DownstreamEventItem {
  id: number;
  type: string;
  occurredAt: string;
  /** The resource id the event is about (a user or group id). */
  subject: string | null;
}
