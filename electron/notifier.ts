/**
 * Desktop alerts: every alert the node raises (deprovision bursts, unhealthy provisioning, a token
 * used from a new address, and any future kind such as failing deliveries) becomes an OS
 * notification, unless the admin turned them off in Settings. Generic over kinds on purpose: a new
 * alert source only has to raise alerts on the bus.
 *
 * Rate limits keep a flapping alarm from flooding the desktop: at most one notification per kind per
 * `perKindMs`, and at most one at all per `globalMs`. Alerts held back are counted and mentioned in
 * the next notification, and they stay in the console's alert list either way.
 */
export interface NotifiableAlert {
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
}

export interface NotifierDeps {
  /** Shows one OS notification (Electron's `Notification`); `onClick` opens the console. */
  show(title: string, body: string, onClick: () => void): void;
  /** The `desktopNotifications` setting, read on every alert so a change applies at once. */
  enabled(): boolean;
  now(): number;
  openConsole(): void;
  perKindMs?: number;
  globalMs?: number;
}

export const PER_KIND_MS = 5 * 60_000;
export const GLOBAL_MS = 10_000;

const TITLES: Record<NotifiableAlert['severity'], string> = {
  critical: 'SCIM Desk: critical alert',
  warning: 'SCIM Desk: warning',
  info: 'SCIM Desk',
};

export function createNotifier(deps: NotifierDeps): (alert: NotifiableAlert) => boolean {
  const perKindMs = deps.perKindMs ?? PER_KIND_MS;
  const globalMs = deps.globalMs ?? GLOBAL_MS;
  const lastByKind = new Map<string, number>();
  let lastAny = Number.NEGATIVE_INFINITY;
  let held = 0;
  /** Returns whether a notification was shown. */
  return (alert) => {
    if (!deps.enabled()) return false;
    const now = deps.now();
    const lastKind = lastByKind.get(alert.kind) ?? Number.NEGATIVE_INFINITY;
    if (now - lastKind < perKindMs || now - lastAny < globalMs) {
      held += 1;
      return false;
    }
    lastByKind.set(alert.kind, now);
    lastAny = now;
    const more = held > 0 ? ` (+${held} more in the console)` : '';
    held = 0;
    deps.show(TITLES[alert.severity], `${alert.message}${more}`, deps.openConsole);
    return true;
  };
}
