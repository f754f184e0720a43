import type { ConsoleError, MappingRow, MappingWarning, Role, RoleDelta } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface MappingChange {
  group: string;
  /** null removes the mapping. */
  role: Role | null;
}

export interface MappingsSlice {
  mappings: Remote<{ mappings: MappingRow[]; warnings: MappingWarning[]; groupNames: string[] }>;
  /** The one change being previewed; nothing is saved until the admin confirms the preview. */
  mappingChange: MappingChange | null;
  mappingPreview: Remote<RoleDelta[]>;
  mappingSaveError: ConsoleError | null;
  mappingSaving: boolean;
  lastSaved: { change: MappingChange; deltas: RoleDelta[] } | null;
  loadMappings(): Promise<void>;
  previewMapping(change: MappingChange): Promise<void>;
  cancelMappingChange(): void;
  saveMapping(): Promise<boolean>;
}

export const createMappingsSlice: Slice<MappingsSlice> = (set, get) => ({
  mappings: idle(),
  mappingChange: null,
  mappingPreview: idle(),
  mappingSaveError: null,
  mappingSaving: false,
  lastSaved: null,

  async loadMappings() {
    set({ mappings: loading(get().mappings) });
    const r = await call('mappings.list', {});
    set({ mappings: settle(get().mappings, r) });
  },

  async previewMapping(change) {
    set({ mappingChange: change, mappingPreview: loading(idle()), mappingSaveError: null, lastSaved: null });
    const r = await call('mappings.preview', { group: change.group, role: change.role });
    if (get().mappingChange !== change) return;
    set({ mappingPreview: settle(get().mappingPreview, r) });
  },

  cancelMappingChange: () => set({ mappingChange: null, mappingPreview: idle(), mappingSaveError: null }),

  async saveMapping() {
    const change = get().mappingChange;
    if (!change) return false;
    set({ mappingSaving: true, mappingSaveError: null });
    const r = await call('mappings.set', { group: change.group, role: change.role });
    if (!r.ok) {
      set({ mappingSaving: false, mappingSaveError: r.error });
      return false;
    }
    set({ mappingSaving: false, mappingChange: null, mappingPreview: idle(), lastSaved: { change, deltas: r.value } });
    await get().loadMappings();
    return true;
  },
});
