import type { EventFilter } from '../../../server/console/contract';
import { hrefOf } from '../../app/routes';

/**
 * An event filter as URL query keys and back, so a filtered view is a link: #/events?status=409&since=…
 * Short keys keep pasted links readable; unknown or malformed keys are ignored, never an error.
 */
const KEYS = {
  method: 'method',
  resourceType: 'type',
  resourceId: 'resource',
  userName: 'user',
  tokenId: 'token',
  requestId: 'request',
  text: 'text',
  since: 'since',
  until: 'until',
} as const satisfies Partial<Record<keyof EventFilter, string>>;

/** "400, 409" → [400, 409]; anything that is not a 3-digit code is dropped. */
export function parseStatuses(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const n = Number(part.trim());
    if (/^\d{3}$/.test(part.trim()) && n >= 100 && n <= 599 && !out.includes(n)) out.push(n);
  }
  return out;
}

export function filterFromQuery(q: Record<string, string>): EventFilter {
  const f: EventFilter = {};
  for (const [field, key] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const v = q[key]?.trim();
    if (v) f[field] = v;
  }
  const cls = Number(q.class);
  if (cls >= 2 && cls <= 5 && Number.isInteger(cls)) f.statusClass = cls as 2 | 3 | 4 | 5;
  const codes = parseStatuses(q.status ?? '');
  if (codes.length) f.statuses = codes;
  return f;
}

export function queryOfFilter(f: EventFilter): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.statuses?.length) q.status = f.statuses.join(',');
  if (f.statusClass) q.class = String(f.statusClass);
  for (const [field, key] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const v = f[field];
    if (v) q[key] = v;
  }
  return q;
}

export const sameFilter = (a: EventFilter, b: EventFilter): boolean =>
  JSON.stringify(queryOfFilter(a)) === JSON.stringify(queryOfFilter(b));

/** Quick ranges of the time-range picker, in milliseconds back from now. */
export const QUICK_RANGES = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;

/** ISO → the value of an <input type="datetime-local"> in the browser's zone, and back. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Where a resource an event names lives in the console: a member (with its timeline) or a group. */
export const resourceHref = (type: string | null, id: string): string => (type === 'Group' ? hrefOf('groups', id) : hrefOf('members', id));
