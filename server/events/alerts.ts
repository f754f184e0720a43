import type { Alert } from '../console/contract.js';
import type { Settings } from '../settings/settings.js';
import type { AlertsRepo } from '../store/alerts-repo.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import type { UsersRepo } from '../store/users-repo.js';
import type { Bus } from './bus.js';

const MIN_FOR_SHARE = 5;

/**
 * Alarms an admin must see: a burst of deprovisioning (a misconfigured IdP assignment can deactivate
 * a whole directory in minutes) and a token's first use from a new address. Stored, and pushed to
 * the console over the bus.
 */
export class AlertsService {
  private readonly deprovisions: number[] = [];
  private activeUsers: { count: number; at: number } | null = null;
  private readonly seenIps = new Set<string>();

  constructor(
    private readonly users: UsersRepo,
    private readonly repo: AlertsRepo,
    private readonly tokens: TokensRepo,
    private readonly bus: Bus,
    private readonly settings: () => Settings,
    private readonly now: () => Date,
  ) {}

  raise(kind: string, severity: Alert['severity'], message: string, data: unknown = null): Alert {
    const alert = this.repo.insert({ time: this.now().toISOString(), kind, severity, message, data });
    this.bus.emit('alerts.raised', alert);
    return alert;
  }

  list(limit = 100): Alert[] {
    return this.repo.list(limit);
  }

  acknowledge(id: number): boolean {
    return this.repo.acknowledge(id, this.now().toISOString());
  }

  /**
   * Counts a deactivation or deletion. The window lives in memory (deprovisioning arrives through
   * the one `serve` process); the active-user count is cached for a minute so this costs nothing on
   * the request path.
   */
  deprovisioned(): void {
    const { percent, count, windowMinutes } = this.settings().deprovisionAlarm;
    const now = this.now().getTime();
    const windowMs = windowMinutes * 60_000;
    this.deprovisions.push(now);
    while ((this.deprovisions[0] ?? now) < now - windowMs) this.deprovisions.shift();
    const n = this.deprovisions.length;
    if (!this.activeUsers || now - this.activeUsers.at > 60_000) this.activeUsers = { count: this.users.countActive(), at: now };
    const base = this.activeUsers.count + n;
    // The share rule needs a handful of events, or deleting 1 of 2 users in a trial would page someone.
    const overShare = n >= MIN_FOR_SHARE && base > 0 && (n / base) * 100 > percent;
    if (!overShare && n <= count) return;
    const last = this.repo.lastTime('deprovision-burst');
    if (last && Date.parse(last) > now - windowMs) return; // one alert per window
    this.raise(
      'deprovision-burst',
      'critical',
      `${n} ${n === 1 ? 'user' : 'users'} deactivated or deleted within ${windowMinutes} minutes (${Math.round((n / Math.max(base, 1)) * 100)}% of active users); check the IdP's assignments`,
      { count: n, windowMinutes, activeUsers: this.activeUsers.count },
    );
  }

  /** First use of a token from an address it was never used from (its very first use is not news). */
  sourceSeen(tokenId: string, ip: string | null, label: string, firstEver: boolean): void {
    if (!ip) return;
    const key = `${tokenId}|${ip}`;
    if (this.seenIps.has(key)) return;
    this.seenIps.add(key);
    if (!this.tokens.noteIp(tokenId, ip, this.now().toISOString()) || firstEver) return;
    this.raise('token-new-ip', 'warning', `token "${label}" was used from a new address ${ip}`, { tokenId, ip });
  }
}
