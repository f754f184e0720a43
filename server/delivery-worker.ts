/**
 * Webhook delivery in a worker thread: its own SQLite connection (WAL lets it read beside the SCIM
 * writer; its batched cursor writes are rare) and its own event loop, so sending and signing events
 * takes CPU from another core instead of from SCIM requests (issue #14: one endpoint costs at most
 * 10% of create throughput). The node starts it for a file database when this bundle is present and
 * falls back to delivering in-process otherwise (tests on ':memory:', running from source).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Dispatcher, realScheduler } from './delivery/dispatcher.js';
import { ChangeFeed } from './delivery/outbox.js';
import { type Settings, SettingsService } from './settings/settings.js';
import { ChangeEventsRepo } from './store/change-events-repo.js';
import { openDb } from './store/db.js';
import { DirectoryReadRepo } from './store/directory-read-repo.js';
import { SettingsRepo } from './store/settings-repo.js';
import { WebhooksRepo } from './store/webhooks-repo.js';

export interface DeliveryWorkerData {
  dbFile: string;
  /** The better-sqlite3 addon the node opened its database with (the Electron build in the desktop app). */
  nativeBinding?: string;
  pollMs?: number;
  settings?: Partial<Settings>;
}

/** Messages the worker sends the node. */
export type DeliveryWorkerMessage =
  | { type: 'alert'; kind: string; severity: 'warning' | 'critical'; message: string; data: unknown }
  | { type: 'log'; msg: string; detail?: string };

const port = parentPort;
if (port) {
  const data = workerData as DeliveryWorkerData;
  // A second connection in this process: openDb only tightens the existing file by path, so it
  // cannot drop the node connection's locks (see createPrivateFile).
  const db = openDb(data.dbFile, { nativeBinding: data.nativeBinding });
  const now = () => new Date();
  const settings = new SettingsService(new SettingsRepo(db), data.settings, () => Date.now());
  const post = (m: DeliveryWorkerMessage) => port.postMessage(m);
  const dispatcher = new Dispatcher({
    repo: new WebhooksRepo(db),
    feed: new ChangeFeed(new ChangeEventsRepo(db), new DirectoryReadRepo(db), now),
    now,
    scheduler: realScheduler,
    retryHours: () => settings.get().webhookRetryHours,
    raiseAlert: (kind, severity, message, alertData) => post({ type: 'alert', kind, severity, message, data: alertData }),
    log: (msg, err) =>
      post({ type: 'log', msg, detail: err instanceof Error ? (err.stack ?? err.message) : err === undefined ? undefined : String(err) }),
    pollMs: data.pollMs,
  });
  dispatcher.start();
  port.on('message', (m: unknown) => {
    if (m === 'kick') dispatcher.kick();
    else if (m === 'stop') {
      dispatcher.stop(); // writes the successes of the current batch first
      db.close();
      port.close();
    }
  });
}
