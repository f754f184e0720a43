import type { ConsoleEvent, ConsoleMethod } from './contract.js';

/**
 * The contract's method and event names as runtime values, for the transports that must enumerate
 * them (IPC registration, the preload, the HTTP bridge). The type checks below fail the build if a
 * name is missing or misspelled here.
 */
export const CONSOLE_METHODS = [
  'node.status',
  'node.traffic',
  'tokens.list',
  'tokens.create',
  'tokens.revoke',
  'tokens.rotate',
  'tokens.test',
  'tokens.hygiene',
  'mappings.list',
  'mappings.preview',
  'mappings.set',
  'members.list',
  'members.get',
  'members.setActive',
  'conflicts.list',
  'conflicts.link',
  'conflicts.dismiss',
  'groups.list',
  'groups.members',
  'events.list',
  'events.get',
  'events.timeline',
  'events.export',
  'alerts.list',
  'alerts.acknowledge',
  'simulate.run',
  'oauth.list',
  'oauth.create',
  'oauth.rotate',
  'oauth.revoke',
  'health.get',
  'schemas.list',
  'schemas.declare',
  'schemas.remove',
  'schemas.undeclared',
  'schemas.propose',
  'settings.get',
  'settings.set',
  'settings.update',
  'settings.setListener',
  'deliveries.list',
  'deliveries.attempts',
  'deliveries.deadLetters',
  'deliveries.add',
  'deliveries.test',
  'deliveries.rotateSecret',
  'deliveries.setEnabled',
  'deliveries.redeliver',
  'deliveries.remove',
] as const satisfies readonly ConsoleMethod[];

export const CONSOLE_EVENTS = ['events.appended', 'alerts.raised', 'simulate.step'] as const satisfies readonly ConsoleEvent[];

type MissingMethod = Exclude<ConsoleMethod, (typeof CONSOLE_METHODS)[number]>;
type MissingEvent = Exclude<ConsoleEvent, (typeof CONSOLE_EVENTS)[number]>;
export const METHODS_COMPLETE: [MissingMethod] extends [never] ? true : MissingMethod = true;
export const EVENTS_COMPLETE: [MissingEvent] extends [never] ? true : MissingEvent = true;

export const isConsoleMethod = (name: string): name is ConsoleMethod => (CONSOLE_METHODS as readonly string[]).includes(name);
