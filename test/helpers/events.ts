import type { EventsRepo, NewEvent } from '../../server/store/events-repo.js';

/** A synthetic recorded GET at `e.time`, for queries and retention that need events at chosen times; `e` overrides any field. */
export const syntheticEvent = (e: Partial<NewEvent> & { time: string }): NewEvent => ({
  requestId: 'r',
  method: 'GET',
  path: '/x',
  status: 200,
  latencyMs: 1,
  tokenId: null,
  sourceIp: null,
  userAgent: null,
  resourceType: null,
  resourceId: null,
  userName: null,
  notes: [],
  changes: [],
  requestHeaders: {},
  requestBody: null,
  responseBody: null,
  ...e,
});

/** Inserts a synthetic recorded GET with its wire view (no response headers); its request id is its path unless given. */
export function insertEvent(repo: EventsRepo, e: Partial<NewEvent> & { time: string }): number {
  return repo.insert(syntheticEvent({ requestId: e.path ?? 'r', requestBodyReceived: null, responseHeaders: {}, ...e }));
}
