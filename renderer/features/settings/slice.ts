import type { ConsoleError, ListenerConfig, Settings, SettingsView } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface SettingsSlice {
  settingsView: Remote<SettingsView>;
  settingsSaving: keyof Settings | null;
  settingsErrors: Partial<Record<keyof Settings, ConsoleError>>;
  settingsSaved: keyof Settings | null;
  loadSettings(): Promise<void>;
  saveSetting<K extends keyof Settings>(key: K, value: Settings[K]): Promise<boolean>;
  listenerSaving: boolean;
  listenerError: ConsoleError | null;
  saveListener(patch: Partial<ListenerConfig>): Promise<boolean>;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  settingsView: idle(),
  settingsSaving: null,
  settingsErrors: {},
  settingsSaved: null,
  listenerSaving: false,
  listenerError: null,

  async loadSettings() {
    set({ settingsView: loading(get().settingsView) });
    const r = await call('settings.get', {});
    set({ settingsView: settle(get().settingsView, r) });
  },

  async saveSetting(key, value) {
    set({ settingsSaving: key, settingsSaved: null, settingsErrors: { ...get().settingsErrors, [key]: undefined } });
    const r = await call('settings.set', { key, value });
    if (!r.ok) {
      set({ settingsSaving: null, settingsErrors: { ...get().settingsErrors, [key]: r.error } });
      return false;
    }
    set({ settingsSaving: null, settingsSaved: key, settingsView: { status: 'ready', data: r.value, error: null } });
    return true;
  },

  async saveListener(patch) {
    set({ listenerSaving: true, listenerError: null });
    const r = await call('settings.setListener', patch);
    if (!r.ok) {
      set({ listenerSaving: false, listenerError: r.error });
      return false;
    }
    set({ listenerSaving: false, settingsView: { status: 'ready', data: r.value, error: null } });
    return true;
  },
});
