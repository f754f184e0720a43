import type { ScimNode } from '../node.js';
import type { ConsoleMethod, DownstreamEventItem, ResultOf } from './contract.js';
import type { CheckedParams } from './schemas.js';

type DeliveryMethod = Extract<ConsoleMethod, `deliveries.${string}`>;
export type DeliveryHandlers = { [M in DeliveryMethod]: (params: CheckedParams[M]) => Promise<ResultOf<M>> };

const HOUR = 3_600_000;

/** What an event is about, for the request detail's list of downstream events. */
function subjectOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as { id?: unknown; member?: { id?: unknown } };
  if (typeof d.id === 'string') return d.id;
  return typeof d.member?.id === 'string' ? d.member.id : null;
}

/** The downstream events one request produced (the event detail lists them). */
export function downstreamOf(node: ScimNode, requestId: string): DownstreamEventItem[] {
  return node.feed.byRequest(requestId).map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurredAt, subject: subjectOf(e.data) }));
}

/** The Deliveries screen's methods: thin reads and writes over the webhook service. */
export function deliveryHandlers(node: ScimNode): DeliveryHandlers {
  return {
    'deliveries.list': async () => node.webhooks.list(),
    'deliveries.attempts': async (p) => node.webhooks.attempts(p.id, p.limit ?? 50),
    'deliveries.deadLetters': async (p) => node.webhooks.deadLetters(p.id),
    'deliveries.add': async (p) => node.webhooks.add({ url: p.url, events: p.events, label: p.label }),
    'deliveries.test': async (p) => {
      const r = await node.webhooks.test(p.id);
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      return { ok, status: r.status, latencyMs: r.latencyMs, detail: r.status === null ? (r.error ?? 'no answer') : `HTTP ${r.status}` };
    },
    'deliveries.rotateSecret': async (p) => node.webhooks.rotateSecret(p.id, p.graceHours * HOUR),
    'deliveries.setEnabled': async (p) => node.webhooks.setEnabled(p.id, p.enabled),
    'deliveries.redeliver': async (p) => node.webhooks.redeliver(p.id, { from: p.from, deadLetters: p.deadLetters }),
    'deliveries.remove': async (p) => {
      node.webhooks.remove(p.id);
      return { removed: true };
    },
  };
}
