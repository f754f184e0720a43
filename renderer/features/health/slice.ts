import type { HealthReport } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export interface HealthSlice {
  health: Remote<HealthReport>;
  loadHealth(): Promise<void>;
}

export const createHealthSlice: Slice<HealthSlice> = (set, get) => ({
  health: idle(),
  async loadHealth() {
    set({ health: loading(get().health) });
    const r = await call('health.get', {});
    set({ health: settle(get().health, r) });
  },
});
