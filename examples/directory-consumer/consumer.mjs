#!/usr/bin/env node
// A downstream application's copy of the SCIM Desk directory, in plain Node (>= 20) with no
// dependencies. It shows the consumer pattern of docs/downstream.md:
//   1. note the feed position (GET /events/cursor),
//   2. read everything through the read API (/users, /groups, keyset-paged),
//   3. tail the feed from that position, persisting the cursor after each page it applies.
// Webhooks are used as a wake-up signal: a delivery whose signature verifies makes the consumer read
// the feed now instead of at its next poll. The feed stays the source of truth, so a lost or
// duplicated webhook never leaves the copy wrong. A 410 (events pruned) means: resync from step 1.
//
// Environment:
//   SCIMDESK_URL        node root, e.g. http://127.0.0.1:7643
//   SCIMDESK_APP_TOKEN  from `scimdesk app-token create --label NAME`
//   WEBHOOK_SECRET      from `scimdesk webhook add --url http://HOST:PORT/webhook` (optional)
//   STATE_FILE          where the copy and the cursor live (default ./directory-state.json)
//   PORT                webhook listener port (default 8787; 0 = any free port)
//   POLL_MS             feed poll interval (default 5000)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const TOLERANCE_SECONDS = 300;

/**
 * Verifies `SCIMDesk-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]` over "<t>.<raw body>".
 * Any v1 may match (during a secret rotation there is one per live secret). The timestamp must be
 * within 5 minutes, so a captured delivery cannot be replayed later.
 */
export function verifySignature(secret, header, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  if (typeof header !== 'string') return false;
  let t = null;
  const candidates = [];
  for (const part of header.split(',')) {
    const [k, v] = part.split('=', 2);
    if (k === 't') t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')) candidates.push(Buffer.from(v, 'hex'));
  }
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return candidates.some((c) => timingSafeEqual(c, expected));
}

class Gone extends Error {}

export class DirectoryConsumer {
  constructor({ url, token, stateFile, log = () => {} }) {
    this.api = `${url.replace(/\/$/, '')}/api/directory/v1`;
    this.token = token;
    this.stateFile = stateFile;
    this.log = log;
    this.state = null;
    this.syncing = null;
    this.again = false;
  }

  async get(path) {
    const res = await fetch(`${this.api}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (res.status === 410) throw new Gone((await res.json()).error.message);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  load() {
    try {
      this.state = JSON.parse(readFileSync(this.stateFile, 'utf8'));
    } catch {
      this.state = null;
    }
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a state file. */
  save() {
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(this.state));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }

  async readAll(path) {
    const out = {};
    let cursor = null;
    do {
      const page = await this.get(`${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const item of page.data) out[item.id] = item;
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Steps 1 and 2: the position first, then everything; changes made meanwhile come again from the feed. */
  async resync() {
    const { cursor } = await this.get('/events/cursor');
    const users = await this.readAll('/users');
    const groups = await this.readAll('/groups');
    this.state = { cursor, users, groups, resyncs: (this.state?.resyncs ?? 0) + 1 };
    this.save();
    this.log({ msg: 'resynced', cursor, users: Object.keys(users).length, groups: Object.keys(groups).length });
  }

  /** Each event carries the whole resource, so applying one twice is harmless (at-least-once). */
  async apply(e) {
    const s = this.state;
    switch (e.type) {
      case 'user.created':
      case 'user.updated':
      case 'user.deactivated':
      case 'user.reactivated':
      case 'user.role_changed':
        s.users[e.data.id] = e.data;
        break;
      case 'user.deleted':
        delete s.users[e.data.id];
        break;
      case 'group.created':
      case 'group.updated':
        s.groups[e.data.id] = e.data;
        break;
      case 'group.deleted':
        delete s.groups[e.data.id];
        break;
      case 'group.member_added':
      case 'group.member_removed': {
        // A membership changes the group's count and the user's `groups` (direct and nested): read
        // both again rather than recompute them here. A 404 means a later event deletes it anyway.
        await this.refresh('groups', e.data.group.id);
        if (e.data.member.type === 'user') await this.refresh('users', e.data.member.id);
        break;
      }
    }
  }

  async refresh(kind, id) {
    const res = await fetch(`${this.api}/${kind}/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (res.ok) this.state[kind][id] = await res.json();
    else await res.arrayBuffer();
  }

  /** Step 3: tail the feed from the saved cursor until it is drained. */
  async tail() {
    for (;;) {
      const page = await this.get(`/events?after=${this.state.cursor}&limit=1000`);
      for (const e of page.data) await this.apply(e);
      this.state.cursor = page.nextCursor;
      if (page.data.length) {
        this.save();
        this.log({ msg: 'applied', events: page.data.length, cursor: page.nextCursor });
      }
      if (!page.hasMore) return;
    }
  }

  /** One sync; concurrent calls coalesce into one more run after the current one. */
  sync() {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          if (!this.state) this.load();
          if (!this.state) await this.resync();
          try {
            await this.tail();
          } catch (e) {
            if (!(e instanceof Gone)) throw e;
            this.log({ msg: 'cursor expired; resyncing', detail: e.message });
            await this.resync();
            await this.tail();
          }
        } while (this.again);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }
}

/** The webhook listener: 401 on a bad signature, 204 after a verified delivery (which wakes the sync). */
export function webhookServer(consumer, secret, log = () => {}) {
  return createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || !verifySignature(secret, req.headers['scimdesk-signature'], body)) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(204).end();
      log({ msg: 'webhook', id: req.headers['scimdesk-event-id'], type: req.headers['scimdesk-event-type'] });
      consumer.sync().catch((e) => log({ msg: 'sync failed', error: String(e) }));
    });
  });
}

async function main() {
  const log = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const url = process.env.SCIMDESK_URL;
  const token = process.env.SCIMDESK_APP_TOKEN;
  if (!url || !token) throw new Error('set SCIMDESK_URL and SCIMDESK_APP_TOKEN');
  const consumer = new DirectoryConsumer({ url, token, stateFile: process.env.STATE_FILE ?? './directory-state.json', log });
  await consumer.sync();
  const secret = process.env.WEBHOOK_SECRET;
  if (secret) {
    const server = webhookServer(consumer, secret, log);
    server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => log({ msg: 'listening', port: server.address().port }));
  }
  const poll = Number(process.env.POLL_MS ?? 5000);
  setInterval(() => consumer.sync().catch((e) => log({ msg: 'sync failed', error: String(e) })), poll);
  log({ msg: 'ready' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    process.stderr.write(`consumer: ${e.message}\n`);
    process.exit(1);
  });
}
