import type { Alert, ConsoleResult, EventRow, EventSummary, MappingWarning, TrafficPoint } from '../../../server/console/contract';
import { call } from '../../api/call';
import { idle, loading, type Remote, settle } from '../../api/remote';
import type { Slice } from '../../app/store';

export const TRAFFIC_MINUTES = 30;

export interface OverviewSlice {
  traffic: Remote<TrafficPoint[]>;
  alerts: Remote<Alert[]>;
  recentErrors: Remote<EventRow[]>;
  overviewWarnings: Remote<MappingWarning[]>;
  loadOverview(): Promise<void>;
  bumpTraffic(event: EventSummary): void;
  addAlert(alert: Alert): void;
  acknowledgeAlert(id: number): Promise<void>;
}

const minuteOf = (iso: string): string => `${iso.slice(0, 16)}:00.000Z`;

/** Adds one live request to its minute's bucket, appending a new minute and dropping the oldest. */
export function addToTraffic(points: TrafficPoint[], event: EventSummary, keep = TRAFFIC_MINUTES): TrafficPoint[] {
  const minute = minuteOf(new Date(event.time).toISOString());
  const key = (['s2xx', 's3xx', 's4xx', 's5xx'] as const)[Math.min(3, Math.max(0, Math.floor(event.status / 100) - 2))] ?? 's5xx';
  const last = points[points.length - 1];
  if (last && minuteOf(last.minute) === minute) return [...points.slice(0, -1), { ...last, [key]: last[key] + 1 }];
  const fresh: TrafficPoint = { minute, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0 };
  fresh[key] = 1;
  return [...points, fresh].slice(-keep);
}

export const createOverviewSlice: Slice<OverviewSlice> = (set, get) => ({
  traffic: idle(),
  alerts: idle(),
  recentErrors: idle(),
  overviewWarnings: idle(),

  async loadOverview() {
    const s = get();
    set({
      traffic: loading(s.traffic),
      alerts: loading(s.alerts),
      recentErrors: loading(s.recentErrors),
      overviewWarnings: loading(s.overviewWarnings),
    });
    const [traffic, alerts, e4, e5, mappings] = await Promise.all([
      call('node.traffic', { minutes: TRAFFIC_MINUTES }),
      call('alerts.list', {}),
      call('events.list', { filter: { statusClass: 4 }, limit: 8 }),
      call('events.list', { filter: { statusClass: 5 }, limit: 8 }),
      call('mappings.list', {}),
      get().loadStatus(),
    ]);
    const errors: ConsoleResult<EventRow[]> = !e4.ok
      ? e4
      : !e5.ok
        ? e5
        : { ok: true, value: [...e4.value.items, ...e5.value.items].sort((a, b) => b.id - a.id).slice(0, 8) };
    const now = get();
    set({
      traffic: settle(now.traffic, traffic),
      alerts: settle(now.alerts, alerts),
      recentErrors: settle(now.recentErrors, errors),
      overviewWarnings: settle(now.overviewWarnings, mappings.ok ? { ok: true, value: mappings.value.warnings } : mappings),
    });
  },

  bumpTraffic(event) {
    const t = get().traffic;
    if (t.data === null) return;
    set({ traffic: { ...t, data: addToTraffic(t.data, event) } as Remote<TrafficPoint[]> });
  },

  addAlert(alert) {
    const a = get().alerts;
    if (a.data === null || a.data.some((x) => x.id === alert.id)) return;
    set({ alerts: { ...a, data: [alert, ...a.data] } as Remote<Alert[]> });
  },

  async acknowledgeAlert(id) {
    const r = await call('alerts.acknowledge', { id });
    if (!r.ok) return;
    const a = get().alerts;
    if (a.data === null) return;
    const at = new Date().toISOString();
    set({ alerts: { ...a, data: a.data.map((x) => (x.id === id ? { ...x, acknowledgedAt: at } : x)) } as Remote<Alert[]> });
  },
});
