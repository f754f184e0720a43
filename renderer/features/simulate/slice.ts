import type { ConsoleError, SimStep, SimSummary } from '../../../server/console/contract';
import { call } from '../../api/call';
import type { Slice } from '../../app/store';

export interface SimulateSlice {
  simRunning: boolean;
  /** Steps as they are pushed while the run is in flight, then the summary's steps. */
  simSteps: SimStep[];
  simSummary: SimSummary | null;
  simError: ConsoleError | null;
  runSimulation(idp: 'okta' | 'entra', target?: { url: string; token: string }): Promise<void>;
  addSimStep(step: SimStep): void;
}

export const createSimulateSlice: Slice<SimulateSlice> = (set, get) => ({
  simRunning: false,
  simSteps: [],
  simSummary: null,
  simError: null,

  async runSimulation(idp, target) {
    if (get().simRunning) return;
    set({ simRunning: true, simSteps: [], simSummary: null, simError: null });
    const r = await call('simulate.run', target ? { idp, target } : { idp });
    if (!r.ok) return set({ simRunning: false, simError: r.error });
    set({ simRunning: false, simSummary: r.value, simSteps: r.value.steps });
  },

  addSimStep(step) {
    if (!get().simRunning) return;
    const steps = get().simSteps;
    // One run at a time: a step from a different run than the first one seen belongs to someone else.
    if (steps[0] && steps[0].runId !== step.runId) return;
    set({ simSteps: [...steps.filter((s) => s.index !== step.index), step].sort((a, b) => a.index - b.index) });
  },
});
