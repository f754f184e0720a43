import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DeliveryWorkerData, DeliveryWorkerMessage } from '../delivery-worker.js';
import type { Dispatcher } from './dispatcher.js';

/**
 * The bundled delivery worker beside this bundle, when there is one (not when running from source). It
 * shares the module format of the bundle it sits beside: `delivery-worker.js` (ESM) beside dist/cli.js,
 * `delivery-worker.cjs` beside the Electron host's dist/electron/main.cjs (build/electron-bundle.mjs).
 */
export function deliveryWorkerFile(): string | null {
  const name = import.meta.url.endsWith('.cjs') ? './delivery-worker.cjs' : './delivery-worker.js';
  const file = fileURLToPath(new URL(name, import.meta.url));
  return existsSync(file) ? file : null;
}

export interface DeliveryHostDeps {
  /** Whether any webhook endpoint is enabled (a cheap probe). */
  anyEnabled(): boolean;
  raiseAlert(kind: string, severity: 'warning' | 'critical', message: string, data: unknown): void;
  log(msg: string, detail?: unknown): void;
}

/**
 * Where webhook delivery runs: in a worker thread with its own connection when the bundle has one
 * (so a slow endpoint never costs the SCIM API), else on the node's thread. `wake` is what a change
 * append calls after its transaction.
 */
export class DeliveryHost {
  private dispatcher: Dispatcher | null = null;
  private worker: Worker | null = null;
  private file: string | null = null;
  private kickQueued = false;
  // Waking the worker costs a message, a thread wake-up and an endpoint query: with no enabled
  // endpoint (most nodes), a write skips it. The answer is re-read at most every 500 ms, and at once
  // after an endpoint change in this process; one added by the CLI is found by the worker's own poll.
  private endpointsSeenAt = Number.NEGATIVE_INFINITY;
  private endpointsEnabled = false;
  private stopped = false;

  constructor(private readonly d: DeliveryHostDeps) {}

  /** The dispatcher is built after the feed that wakes it; it does nothing until started. */
  attach(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher;
  }

  readonly wake = (): void => {
    if (!this.worker) {
      this.dispatcher?.kick();
      return;
    }
    const t = performance.now();
    if (t - this.endpointsSeenAt > 500) {
      this.endpointsSeenAt = t;
      this.endpointsEnabled = this.d.anyEnabled();
    }
    if (!this.endpointsEnabled || this.kickQueued) return;
    // After the current turn: the append that asks is still inside its (synchronous) transaction,
    // and the worker reads through its own connection, which sees only committed rows.
    this.kickQueued = true;
    setImmediate(() => {
      this.kickQueued = false;
      this.worker?.postMessage('kick');
    });
  };

  /** An endpoint was added, enabled or changed here: look again now. */
  readonly endpointsChanged = (): void => {
    this.endpointsSeenAt = Number.NEGATIVE_INFINITY;
    this.wake();
  };

  /** Starts delivery in `file`'s worker, or on this thread when there is none. */
  start(file: string | null, data: DeliveryWorkerData): void {
    const dispatcher = this.dispatcher;
    if (!dispatcher) throw new Error('DeliveryHost.start before attach');
    if (!file) {
      dispatcher.start();
      return;
    }
    const w = new Worker(file, { workerData: data });
    this.worker = w;
    this.file = file;
    w.on('message', (m: DeliveryWorkerMessage) => {
      if (m.type === 'alert') this.d.raiseAlert(m.kind, m.severity, m.message, m.data);
      else this.d.log(m.msg, m.detail);
    });
    w.on('error', (e) => {
      this.d.log('the webhook delivery worker failed; delivering in the node thread instead', e);
      this.worker = null;
      if (!this.stopped) dispatcher.start();
    });
    w.unref();
  }

  /** The worker file delivery runs in; null while it runs on the node's thread. */
  get workerFile(): string | null {
    return this.worker ? this.file : null;
  }

  stop(): void {
    this.stopped = true;
    this.dispatcher?.stop();
    this.worker?.postMessage('stop');
    this.worker = null;
  }
}
