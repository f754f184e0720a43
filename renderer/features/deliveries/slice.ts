import type {
  ConsoleResult,
  DeadLetterItem,
  ParamsOf,
  ResultOf,
  WebhookAttemptItem,
  WebhookEndpointSummary,
} from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

/** A secret shown once: right after an endpoint is added or its secret rotated. */
export interface RevealedSecret {
  endpointId: string;
  secret: string;
  note: string;
}

export interface DeliveriesSlice {
  endpoints: Remote<WebhookEndpointSummary[]>;
  selectedEndpoint: string | null;
  attempts: Remote<WebhookAttemptItem[]>;
  deadLetters: Remote<DeadLetterItem[]>;
  revealedWebhookSecret: RevealedSecret | null;
  loadEndpoints(): Promise<void>;
  selectEndpoint(id: string | null): Promise<void>;
  addEndpoint(params: ParamsOf<'deliveries.add'>): Promise<ConsoleResult<ResultOf<'deliveries.add'>>>;
  testEndpoint(id: string): Promise<ConsoleResult<ResultOf<'deliveries.test'>>>;
  rotateSecret(id: string, graceHours: number): Promise<ConsoleResult<ResultOf<'deliveries.rotateSecret'>>>;
  setEndpointEnabled(id: string, enabled: boolean): Promise<ConsoleResult<WebhookEndpointSummary>>;
  redeliverDeadLetters(id: string): Promise<ConsoleResult<{ requeued: number }>>;
  dismissWebhookSecret(): void;
}

export const createDeliveriesSlice: Slice<DeliveriesSlice> = (set, get) => {
  /** After a write: the list and the open endpoint's detail show its effect. */
  const refresh = async () => {
    await get().loadEndpoints();
    const id = get().selectedEndpoint;
    if (id) await get().selectEndpoint(id);
  };
  return {
    endpoints: idle(),
    selectedEndpoint: null,
    attempts: idle(),
    deadLetters: idle(),
    revealedWebhookSecret: null,

    async loadEndpoints() {
      set({ endpoints: loading(get().endpoints) });
      set({ endpoints: settle(get().endpoints, await call('deliveries.list', {})) });
    },

    async selectEndpoint(id) {
      if (id === null) {
        set({ selectedEndpoint: null, attempts: idle(), deadLetters: idle() });
        return;
      }
      const same = get().selectedEndpoint === id;
      set({
        selectedEndpoint: id,
        attempts: same ? loading(get().attempts) : loading(idle()),
        deadLetters: same ? loading(get().deadLetters) : loading(idle()),
      });
      const [attempts, dead] = await Promise.all([call('deliveries.attempts', { id, limit: 50 }), call('deliveries.deadLetters', { id })]);
      if (get().selectedEndpoint !== id) return;
      set({ attempts: settle(get().attempts, attempts), deadLetters: settle(get().deadLetters, dead) });
    },

    async addEndpoint(params) {
      const r = await call('deliveries.add', params);
      if (r.ok) {
        set({
          revealedWebhookSecret: { endpointId: r.value.endpoint.id, secret: r.value.secret, note: 'Signing secret of the new endpoint' },
        });
        await refresh();
      }
      return r;
    },

    async testEndpoint(id) {
      const r = await call('deliveries.test', { id });
      await refresh();
      return r;
    },

    async rotateSecret(id, graceHours) {
      const r = await call('deliveries.rotateSecret', { id, graceHours });
      if (r.ok)
        set({
          revealedWebhookSecret: {
            endpointId: id,
            secret: r.value.secret,
            note: `The old secret keeps signing until ${r.value.oldSecretsExpireAt}`,
          },
        });
      return r;
    },

    async setEndpointEnabled(id, enabled) {
      const r = await call('deliveries.setEnabled', { id, enabled });
      await refresh();
      return r;
    },

    async redeliverDeadLetters(id) {
      const r = await call('deliveries.redeliver', { id, deadLetters: true });
      await refresh();
      return r;
    },

    dismissWebhookSecret: () => set({ revealedWebhookSecret: null }),
  };
};
