/**
 * The load generator's HTTP side: node:http with a keep-alive agent (one socket per concurrent
 * client), the child-process handle, and a bounded worker pool.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import type { ChildConfig, ChildMessage, UsageMessage } from './protocol.js';
import { CONFIG_ENV } from './protocol.js';

export interface Reply {
  status: number;
  text: string;
  /** Wall time of the exchange, milliseconds. */
  ms: number;
}

export class Http {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    private readonly token: string,
    maxSockets = 32,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { accept: 'application/scim+json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/scim+json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const started = performance.now();
    return new Promise<Reply>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Usage {
  cpuUs: number;
  rss: number;
  maxRssKb: number;
}

/** A server child: started with fork(), talks over IPC. */
export class Child {
  private seq = 0;
  private readonly waiting = new Map<number, (u: UsageMessage) => void>();
  private exited = false;

  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
    readonly token: string,
  ) {
    proc.on('message', (m: ChildMessage) => {
      if (m.type === 'usage') {
        this.waiting.get(m.seq)?.(m);
        this.waiting.delete(m.seq);
      }
    });
    proc.on('exit', () => {
      this.exited = true;
    });
  }

  static start(script: string, config: ChildConfig, execArgv: string[] = []): Promise<Child> {
    const proc = fork(script, [], {
      env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise<Child>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`${config.mode} child did not start within 30 s`));
      }, 30_000);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${config.mode} child exited with ${code} before it was ready`));
      });
      const onMessage = (m: ChildMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          proc.off('message', onMessage);
          proc.removeAllListeners('exit');
          resolve(new Child(proc, m.port, m.token));
        } else if (m.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`${config.mode} child failed: ${m.message}`));
        }
      };
      proc.on('message', onMessage);
    });
  }

  /** Writes the node's pending events and checkpoints its WAL, then reports usage (see protocol.ts). */
  settle(): Promise<Usage> {
    return this.usage(true);
  }

  usage(settle = false): Promise<Usage> {
    const seq = ++this.seq;
    return new Promise<Usage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child did not answer a usage request')), 10_000);
      this.waiting.set(seq, (m) => {
        clearTimeout(timer);
        resolve({ cpuUs: m.user + m.system, rss: m.rss, maxRssKb: m.maxRssKb });
      });
      this.proc.send({ type: 'usage', seq, settle });
    });
  }

  /** Graceful stop; SIGKILL if it takes more than 10 s. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.proc.send({ type: 'stop' });
    });
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

/** Runs `total` tasks on `concurrency` workers; stops early (and says so) past `deadline`. */
export async function pool(concurrency: number, total: number, task: (i: number) => Promise<void>, deadlineMs = Infinity): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < total && performance.now() < deadlineMs) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return Math.min(next, total);
}
