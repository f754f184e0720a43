import type { ScimNode } from '../node.js';
import type { ConsoleMethod, DownstreamEventItem, ParamsOf, ResultOf } from './contract.js';
import { asParams, ConsoleInputError, num, optBool, optNum, optStr, str } from './params.js';

type DeliveryMethod = Extract<ConsoleMethod, `deliveries.${string}`>;
export type DeliveryHandlers = { [M in DeliveryMethod]: (params: ParamsOf<M>) => Promise<ResultOf<M>> };

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
    'deliveries.attempts': async (raw) => {
      const p = asParams(raw);
      return node.webhooks.attempts(str(p, 'id'), optNum(p, 'limit', 1, 1000) ?? 50);
    },
    'deliveries.deadLetters': async (raw) => node.webhooks.deadLetters(str(asParams(raw), 'id')),
    'deliveries.add': async (raw) => {
      const p = asParams(raw);
      return node.webhooks.add({ url: str(p, 'url'), events: optStr(p, 'events'), label: optStr(p, 'label') });
    },
    'deliveries.test': async (raw) => {
      const r = await node.webhooks.test(str(asParams(raw), 'id'));
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      return { ok, status: r.status, latencyMs: r.latencyMs, detail: r.status === null ? (r.error ?? 'no answer') : `HTTP ${r.status}` };
    },
    'deliveries.rotateSecret': async (raw) => {
      const p = asParams(raw);
      return node.webhooks.rotateSecret(str(p, 'id'), num(p, 'graceHours', 0, 24 * 30) * HOUR);
    },
    'deliveries.setEnabled': async (raw) => {
      const p = asParams(raw);
      const enabled = optBool(p, 'enabled');
      if (enabled === undefined) throw new ConsoleInputError('enabled is required', 'enabled');
      return node.webhooks.setEnabled(str(p, 'id'), enabled);
    },
    'deliveries.redeliver': async (raw) => {
      const p = asParams(raw);
      const from = optNum(p, 'from', 1, Number.MAX_SAFE_INTEGER);
      return node.webhooks.redeliver(str(p, 'id'), {
        from: from === undefined ? undefined : Math.trunc(from),
        deadLetters: optBool(p, 'deadLetters'),
      });
    },
    'deliveries.remove': async (raw) => {
      node.webhooks.remove(str(asParams(raw), 'id'));
      return { removed: true };
    },
  };
}
