import type { Alert, EventSummary, SimStep } from '../console/contract.js';

/**
 * The node's typed in-process bus. Emitting never waits on a subscriber: listeners are called
 * synchronously and must only enqueue (the SSE and IPC fan-outs buffer and drop when a peer is slow),
 * and a throwing listener is isolated so it cannot fail the SCIM request that emitted.
 */
export type { EventSummary };

export interface BusEvents {
  'events.appended': EventSummary;
  'alerts.raised': Alert;
  'simulate.step': SimStep;
}

type Listener<T> = (payload: T) => void;

export class Bus {
  private readonly listeners = new Map<keyof BusEvents, Set<Listener<never>>>();

  on<K extends keyof BusEvents>(name: K, fn: Listener<BusEvents[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  emit<K extends keyof BusEvents>(name: K, payload: BusEvents[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of set) {
      try {
        (fn as Listener<BusEvents[K]>)(payload);
      } catch {
        // A subscriber's failure is its own; the request that emitted has already committed.
      }
    }
  }

  listenerCount(name: keyof BusEvents): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}
