/** IPC messages between the bench (parent, load generator) and a measured server child. */

export type ChildMode = 'node' | 'floor';

export interface ChildConfig {
  mode: ChildMode;
  /** Data directory of a `node` child (a fresh temporary directory). */
  dataDir?: string;
  /** Event log on (production) or off, for the overhead scenario. */
  eventLog?: boolean;
  /** The fixed JSON body a `floor` child answers with. */
  floorBody?: string;
  /** A webhook endpoint the node delivers every change event to (issue #14's overhead pair). */
  webhookUrl?: string;
}

export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** Bearer token of a `node` child ('' for the floor). */
  token: string;
}

export interface UsageMessage {
  type: 'usage';
  seq: number;
  /** process.cpuUsage(), microseconds. */
  user: number;
  system: number;
  rss: number;
  /** resourceUsage().maxRSS, kilobytes. */
  maxRssKb: number;
}

export interface StoppedMessage {
  type: 'stopped';
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type ChildMessage = ReadyMessage | UsageMessage | StoppedMessage | ErrorMessage;

/**
 * `settle` asks a node child, before it answers, to write its pending events and checkpoint the WAL,
 * so a scenario does not pay for the checkpoint of the writes of the one before it.
 */
export type ParentMessage = { type: 'usage'; seq: number; settle?: boolean } | { type: 'stop' };

export const CONFIG_ENV = 'SCIMDESK_BENCH_CHILD';
