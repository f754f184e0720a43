import type { Command } from 'commander';
import { SETTING_KEYS, type Settings } from '../settings/settings.js';
import { dataOption, out, printJson, withNode } from './shared.js';

const isKey = (k: string): k is keyof Settings => (SETTING_KEYS as string[]).includes(k);

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('run-time settings (a running node picks changes up within a second)');
  settings
    .command('show')
    .option(...dataOption)
    .action(async (flags: { data?: string }) => {
      printJson(await withNode(flags.data, (node) => node.settings.get()));
    });
  settings
    .command('set')
    .description(`set one of: ${SETTING_KEYS.join(', ')}`)
    .argument('<key>', 'setting name')
    .argument('<value>', 'JSON value, e.g. true, "hard", {"perSecond":100,"burst":200}')
    .option(...dataOption)
    .action(async (key: string, raw: string, flags: { data?: string }) => {
      if (!isKey(key)) throw new Error(`unknown setting "${key}"; known: ${SETTING_KEYS.join(', ')}`);
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw; // bare words such as hard or retain
      }
      const next = await withNode(flags.data, (node) => node.settings.set(key, value));
      out(`${key} = ${JSON.stringify(next[key])}`);
    });
}
