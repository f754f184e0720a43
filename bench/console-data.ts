/**
 * Console data at scale: a separate temporary database opened through startNode, filled with SQL in
 * one transaction (synthetic events with payloads, and users), then the console's page reads are
 * timed in-process (server-side milliseconds, median of a few runs).
 */
import { join } from 'node:path';
import { startNodeWithStore } from '../server/node.js';
import { median } from './stats.js';

export interface ConsoleFigures {
  events: number;
  users: number;
  fillMs: number;
  newestMs: number;
  deepMs: number;
  userNameMs: number;
  usersPageMs: number;
  /** Rows each page returned, as a sanity check. */
  rows: { newest: number; deep: number; userName: number; usersPage: number };
}

function timeIt<T>(runs: number, fn: () => T): { ms: number; last: T } {
  const times: number[] = [];
  let last = fn(); // warm the statement cache and the page cache, as a console that is open would
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), last };
}

export function consoleData(dir: string, events: number, users: number): ConsoleFigures {
  // The bench fills the log with SQL directly, so it takes the store along with the node.
  const { node, db, repos } = startNodeWithStore({ dbFile: join(dir, 'console.db'), log: () => {} });
  try {
    const t0 = performance.now();
    db.transaction(() => {
      // Users: the shape the SCIM service writes (canonical JSON in data, hot keys in columns).
      db.prepare(
        `WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ?)
           INSERT INTO users (id, user_name, external_id, active, data, created, last_modified, version)
           SELECT lower(hex(randomblob(16))), 'user' || i || '@example.com', 'ext-' || i, 1,
             json_object('userName', 'user' || i || '@example.com', 'externalId', 'ext-' || i, 'active', json('true'),
               'name', json_object('givenName', 'Given' || i, 'familyName', 'Family'),
               'displayName', 'Given' || i || ' Family',
               'emails', json_array(json_object('value', 'user' || i || '@example.com', 'type', 'work', 'primary', json('true')))),
             '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 1
           FROM c`,
      ).run(users);
      // Events: a provisioning-like mix; every event names one of the users.
      db.prepare(
        `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i + 1 <= @events)
           INSERT INTO events (id, time, request_id, method, path, status, latency_ms, token_id, source_ip, user_agent,
             resource_type, resource_id, user_name, notes, changes)
           SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i / 10.0, 'unixepoch'), lower(hex(randomblob(16))),
             CASE i % 4 WHEN 0 THEN 'POST' WHEN 1 THEN 'GET' WHEN 2 THEN 'PATCH' ELSE 'GET' END,
             CASE i % 4 WHEN 1 THEN '/api/scim/v2/Users?filter=userName%20eq%20%22user' || (i % CAST(@users AS INTEGER)) || '%40example.com%22'
               ELSE '/api/scim/v2/Users/' || lower(hex(randomblob(16))) END,
             CASE WHEN i % 97 = 0 THEN 409 WHEN i % 4 = 0 THEN 201 ELSE 200 END,
             1.5, 'tok-1', '127.0.0.1', 'Okta SCIM Client 1.0.0', 'User', lower(hex(randomblob(16))),
             'user' || (i % CAST(@users AS INTEGER)) || '@example.com', NULL,
             CASE i % 4 WHEN 2 THEN '[{"kind":"user.deactivated","userId":"x","userName":"user' || (i % CAST(@users AS INTEGER)) || '@example.com"}]' END
           FROM c`,
      ).run({ events, users });
      db.prepare(
        `INSERT INTO event_payloads (event_id, request_headers, request_body, response_body)
           SELECT id, '{"host":"127.0.0.1","user-agent":"Okta SCIM Client 1.0.0","authorization":"Bearer [REDACTED]"}',
             CASE method WHEN 'GET' THEN NULL ELSE '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' || user_name || '"}' END,
             '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"' || resource_id || '","userName":"' || user_name || '"}'
           FROM events`,
      ).run();
    })();
    const fillMs = performance.now() - t0;
    db.pragma('wal_checkpoint(TRUNCATE)');

    const newest = timeIt(5, () => repos.events.list({ limit: 100 }));
    const deep = timeIt(5, () => repos.events.list({ before: 1000, limit: 100 }));
    const byName = timeIt(5, () => repos.events.list({ userName: 'user4242@example.com', limit: 100 }));
    const page = timeIt(5, () => node.users.list({ startIndex: 50_000, count: 100 }, 'http://127.0.0.1/api/scim/v2'));
    return {
      events,
      users,
      fillMs,
      newestMs: newest.ms,
      deepMs: deep.ms,
      userNameMs: byName.ms,
      usersPageMs: page.ms,
      rows: {
        newest: newest.last.length,
        deep: deep.last.length,
        userName: byName.last.length,
        usersPage: Array.isArray(page.last.Resources) ? page.last.Resources.length : 0,
      },
    };
  } finally {
    node.close();
  }
}
