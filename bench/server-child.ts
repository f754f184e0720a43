/**
 * A measured server for the bench, run as a child process so its CPU and memory are its own:
 * - `node`: the real SCIM node through serve() on a file database (WAL, event log as configured),
 * - `floor`: a bare Express 5 app answering one fixed JSON body, the cost of HTTP + Express alone.
 * It reports its port and, on request over IPC, process.cpuUsage() and its memory figures.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serve } from '../server/serve.js';
import { type ChildConfig, type ChildMessage, CONFIG_ENV, type ParentMessage } from './protocol.js';

const send = (m: ChildMessage): void => {
  process.send?.(m);
};

function readConfig(): ChildConfig {
  const raw = process.env[CONFIG_ENV];
  if (!raw) throw new Error(`${CONFIG_ENV} is not set: this file is started by the bench`);
  return JSON.parse(raw) as ChildConfig;
}

async function startFloor(body: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/api/scim/v2/Users/:id', (_req, res) => {
    res.status(200).setHeader('Content-Type', 'application/scim+json; charset=utf-8');
    res.end(body);
  });
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  let stop: () => Promise<void>;
  let settle = (): void => {};
  if (config.mode === 'floor') {
    const floor = await startFloor(config.floorBody ?? '{}');
    stop = floor.stop;
    send({ type: 'ready', port: floor.port, token: '' });
  } else {
    if (!config.dataDir) throw new Error('a node child needs a dataDir');
    const running = await serve(
      { dataDir: config.dataDir, host: '127.0.0.1', port: 0, consolePort: null },
      {
        eventLog: config.eventLog ?? true,
        // The load generator is one token pushing thousands of requests a second: lift the per-token
        // limit out of the way (the limiter still runs on every request, as in production).
        settings: { rateLimit: { perSecond: 100_000, burst: 1_000_000 } },
      },
    );
    const { token } = running.node.tokens.create({ label: 'bench' });
    if (config.webhookUrl) running.node.webhooks.add({ url: config.webhookUrl, label: 'bench' });
    settle = () => {
      running.node.checkpoint();
    };
    stop = async () => {
      running.server.closeAllConnections();
      await running.stop();
    };
    send({ type: 'ready', port: (running.server.address() as AddressInfo).port, token });
  }
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'usage') {
      if (m.settle) settle();
      const cpu = process.cpuUsage();
      send({
        type: 'usage',
        seq: m.seq,
        user: cpu.user,
        system: cpu.system,
        rss: process.memoryUsage.rss(),
        maxRssKb: process.resourceUsage().maxRSS,
      });
    } else if (m.type === 'stop') {
      void stop().then(() => {
        send({ type: 'stopped' });
        process.disconnect?.();
        process.exit(0);
      });
    }
  });
  // The bench going away (crash, Ctrl-C) must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
