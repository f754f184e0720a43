import type { EventsRepo, NewEvent } from '../../server/store/events-repo.js';

/** A synthetic recorded GET, for queries and retention that need events at chosen times. */
export function insertEvent(repo: EventsRepo, e: Partial<NewEvent> & { time: string }): number {
  return repo.insert({
    requestId: e.path ?? 'r',
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
    requestBodyReceived: null,
    responseHeaders: {},
    responseBody: null,
    ...e,
  });
}
