/**
 * The request log: one event per SCIM exchange, its detail and the filter that finds it.
 * Part of the console contract: types only, re-exported by ../contract.ts (the one entry point).
 */
import type { DownstreamEventItem } from './deliveries.js';

export interface EventSummary {
  id: number;
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  tokenId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  resourceType: string | null;
  resourceId: string | null;
  userName: string | null;
  /** Sent by the console's "Test sync" against this node; not counted by alarms or health. Absent means false. */
  simulated?: boolean;
}

export interface EventRow extends EventSummary {
  notes: string[];
  changes: unknown[];
}

export interface EventDetail extends EventRow {
  requestHeaders: Record<string, string>;
  /** The body the node read: after the dialect layer's corrections (see `notes`), redacted. */
  requestBody: string | null;
  /** The body exactly as the IdP sent it, redacted; null when byte for byte `requestBody`. */
  requestBodyReceived: string | null;
  /** The response headers the IdP received (ETag, Location, Retry-After, WWW-Authenticate …). */
  responseHeaders: Record<string, string>;
  responseBody: string | null;
  /** The downstream change events this request produced (the change feed, issue #14). */
  downstream?: DownstreamEventItem[];
}

export interface EventFilter {
  statusClass?: 2 | 3 | 4 | 5;
  /** Exact status codes, any of them (e.g. [400, 409]); with statusClass, either matches. */
  statuses?: number[];
  method?: string;
  resourceType?: string;
  resourceId?: string;
  userName?: string;
  tokenId?: string;
  /** A token's label, prefix or id, resolved on the server (one resolver for CLI and console). */
  tokenRef?: string;
  requestId?: string;
  text?: string;
  since?: string;
  until?: string;
}
