import type { ConsoleError, ListenerConfig, Settings, SettingsView } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface SettingsSlice {
  settingsView: Remote<SettingsView>;
  loadSettings(): Promise<void>;
  /** The one Save of the settings form: run-time settings (all or nothing), then the listener. */
  settingsFormState: 'idle' | 'saving' | 'saved' | 'error';
  settingsFormError: ConsoleError | null;
  saveSettingsForm(settings: Partial<Settings>, listener: Partial<ListenerConfig> | null): Promise<boolean>;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  settingsView: idle(),
  settingsFormState: 'idle',
  settingsFormError: null,

  async loadSettings() {
    set({ settingsView: loading(get().settingsView) });
    const r = await call('settings.get', {});
    set({ settingsView: settle(get().settingsView, r) });
  },

  async saveSettingsForm(settings, listener) {
    set({ settingsFormState: 'saving', settingsFormError: null });
    // Run-time settings first: one all-or-nothing call. The listener goes to config.json after.
    if (Object.keys(settings).length > 0) {
      const r = await call('settings.update', { settings });
      if (!r.ok) {
        set({ settingsFormState: 'error', settingsFormError: r.error });
        return false;
      }
      set({ settingsView: { status: 'ready', data: r.value, error: null } });
    }
    if (listener) {
      const r = await call('settings.setListener', listener);
      if (!r.ok) {
        set({ settingsFormState: 'error', settingsFormError: r.error });
        return false;
      }
      set({ settingsView: { status: 'ready', data: r.value, error: null } });
    }
    set({ settingsFormState: 'saved' });
    return true;
  },
});
