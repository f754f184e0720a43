import type {
  Alert,
  HealthErrorKind,
  HealthErrorSummary,
  HealthLevel,
  HealthReport,
  HealthWindow,
  IdpHealth,
} from '../console/contract.js';
import type { AlertsService } from '../events/alerts.js';
import type { Bus } from '../events/bus.js';
import type { EventLogService } from '../events/events.js';
import type { Settings } from '../settings/settings.js';
import type { HealthGroup, HealthRepo } from '../store/health-repo.js';
import type { OAuthRepo } from '../store/oauth-repo.js';
import type { TokensRepo } from '../store/tokens-repo.js';
import { type Agent, agentOf, causeOf, KIND_LABELS } from './idp.js';

/** "The last cycle": Entra provisions in 40-minute cycles, the longer of the two big IdPs. */
export const CYCLE_MINUTES = 40;
/** A cycle with fewer requests than this is shown but not judged: 1 failure of 2 is not a trend. */
export const MIN_REQUESTS = 5;
/**
 * At most this many IdPs are reported. Entries are principal × agent family, so only credentials
 * (which an admin creates) can add entries; caller-chosen User-Agents cannot.
 */
export const MAX_IDPS = 50;
const TOP_ERRORS = 5;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const LEVEL_RANK: Record<HealthLevel, number> = { ok: 0, warning: 1, critical: 2 };

export interface HealthDeps {
  events: EventLogService;
  repo: HealthRepo;
  tokens: TokensRepo;
  oauth: OAuthRepo;
  alerts: AlertsService;
  settings: () => Settings;
  now: () => Date;
  /** Path prefix of the OAuth token endpoint, whose failures are their own kind. */
  oauthPath: string;
  log: (msg: string, err?: unknown) => void;
}

interface Acc {
  principal: IdpHealth['principal'];
  agent: Agent;
  cycle: { requests: number; errors: number };
  day: { requests: number; errors: number };
  kinds: Map<HealthErrorKind, HealthErrorSummary>;
  lastOkAt: string | null;
}

const windowOf = (w: { requests: number; errors: number }): HealthWindow => ({
  ...w,
  errorRate: w.requests ? w.errors / w.requests : 0,
});

const pct = (rate: number): number => Math.round(rate * 1000) / 10;

/**
 * Per-IdP provisioning health from the event log, so trouble shows before Entra quarantines a job
 * (above 40% failures) or Okta gives up retrying. An IdP is a credential (token, OAuth client, or
 * none that matched) plus a user agent family. Every query starts at the window's first event id.
 */
export class HealthService {
  constructor(private readonly d: HealthDeps) {}

  report(): HealthReport {
    return this.compute(true);
  }

  /**
   * Evaluates the last cycle and raises an alert per IdP at warning or critical, at most once an
   * hour per IdP and level (a critical still follows a warning inside that hour).
   */
  check(): Alert[] {
    const report = this.compute(false);
    const since = new Date(this.d.now().getTime() - HOUR).toISOString();
    const raised: Alert[] = [];
    for (const idp of report.idps) {
      if (idp.level === 'ok') continue;
      const levels = idp.level === 'warning' ? ['warning', 'critical'] : ['critical'];
      if (levels.some((l) => this.d.repo.alertedSince(idp.key, l, since))) continue;
      const threshold = idp.level === 'critical' ? report.thresholds.criticalPercent : report.thresholds.warnPercent;
      const who = `${idp.agent.name} via ${idp.principal.label}`;
      const message = `${who}: ${pct(idp.cycle.errorRate)}% of ${idp.cycle.requests} requests failed in the last ${CYCLE_MINUTES} minutes (${idp.level} at ${threshold}%). Likely cause: ${idp.likelyCause ?? 'unknown'}`;
      const top = idp.topErrors[0];
      raised.push(
        this.d.alerts.raise('provisioning-health', idp.level, message, {
          idp: idp.key,
          level: idp.level,
          errorRate: idp.cycle.errorRate,
          requests: idp.cycle.requests,
          errors: idp.cycle.errors,
          kind: top?.kind ?? null,
          exampleEventId: top?.exampleEventId ?? null,
        }),
      );
    }
    return raised;
  }

  /**
   * Re-checks after failed requests: at most once a minute, with a trailing check so the last
   * failure of a burst is always evaluated. Bus listeners only enqueue; the check runs later. The
   * spacing is measured by the node's clock; the timer itself is real.
   */
  watch(bus: Bus, intervalMs = 60_000): () => void {
    let last = Number.NEGATIVE_INFINITY;
    let timer: NodeJS.Timeout | null = null;
    const run = () => {
      timer = null;
      last = this.d.now().getTime();
      try {
        this.check();
      } catch (e) {
        this.d.log('provisioning health check failed', e);
      }
    };
    const off = bus.on('events.appended', (e) => {
      if (e.status < 400 || timer) return;
      timer = setTimeout(run, Math.max(0, last + intervalMs - this.d.now().getTime()));
      timer.unref();
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }

  private compute(withDay: boolean): HealthReport {
    const s = this.d.settings();
    const now = this.d.now();
    const thresholds = { warnPercent: s.healthWarnPercent, criticalPercent: s.healthCriticalPercent, minRequests: MIN_REQUESTS };
    const cycleId = this.d.events.idAtTime(new Date(now.getTime() - CYCLE_MINUTES * 60_000).toISOString());
    const fromId = withDay ? this.d.events.idAtTime(new Date(now.getTime() - DAY).toISOString()) : cycleId;
    const base = { generatedAt: now.toISOString(), cycleMinutes: CYCLE_MINUTES, thresholds };
    if (fromId === null) return { ...base, level: 'ok', idps: [] };
    const accs = this.fold(this.d.repo.groups(fromId, cycleId ?? Number.MAX_SAFE_INTEGER, this.d.oauthPath));
    const idps = [...accs.entries()].map(([key, a]) => this.finish(key, a, thresholds, withDay ? fromId : null, now));
    idps.sort((x, y) => LEVEL_RANK[y.level] - LEVEL_RANK[x.level] || y.day.requests - x.day.requests || x.key.localeCompare(y.key));
    const kept = idps.slice(0, MAX_IDPS);
    const level = kept.reduce<HealthLevel>((w, i) => (LEVEL_RANK[i.level] > LEVEL_RANK[w] ? i.level : w), 'ok');
    return { ...base, level, idps: kept };
  }

  private fold(groups: HealthGroup[]): Map<string, Acc> {
    const labels = new Map<string, IdpHealth['principal']>();
    const accs = new Map<string, Acc>();
    for (const g of groups) {
      const principal = labels.get(g.tokenId ?? '') ?? this.principal(g.tokenId);
      labels.set(g.tokenId ?? '', principal);
      // By agent family, never the raw User-Agent: a flood of invented agents adds no entries.
      const agent = agentOf(g.userAgent);
      const key = `${principal.id ?? 'unidentified'}|${agent.name}`;
      let a = accs.get(key);
      if (!a) {
        a = { principal, agent, cycle: { requests: 0, errors: 0 }, day: { requests: 0, errors: 0 }, kinds: new Map(), lastOkAt: null };
        accs.set(key, a);
      }
      a.day.requests += g.count;
      a.cycle.requests += g.cycleCount;
      if (g.kind === 'ok') {
        if (!a.lastOkAt || g.lastAt > a.lastOkAt) a.lastOkAt = g.lastAt;
        continue;
      }
      a.day.errors += g.count;
      a.cycle.errors += g.cycleCount;
      const k = a.kinds.get(g.kind);
      if (!k) {
        a.kinds.set(g.kind, {
          kind: g.kind,
          label: KIND_LABELS[g.kind],
          count: g.count,
          cycleCount: g.cycleCount,
          exampleEventId: g.exampleId,
          lastAt: g.lastAt,
        });
      } else {
        k.count += g.count;
        k.cycleCount += g.cycleCount;
        if (g.exampleId > k.exampleEventId) k.exampleEventId = g.exampleId;
        if (g.lastAt > k.lastAt) k.lastAt = g.lastAt;
      }
    }
    return accs;
  }

  private principal(tokenId: string | null): IdpHealth['principal'] {
    if (tokenId === null) return { kind: 'unidentified', id: null, label: 'no valid credentials' };
    if (tokenId.startsWith('oauth:')) {
      const client = this.d.oauth.client(tokenId.slice('oauth:'.length));
      return { kind: 'oauth', id: tokenId, label: `OAuth client "${client?.name ?? tokenId.slice(6)}"` };
    }
    return { kind: 'token', id: tokenId, label: `token "${this.d.tokens.get(tokenId)?.label ?? tokenId}"` };
  }

  private finish(key: string, a: Acc, t: HealthReport['thresholds'], dayFromId: number | null, now: Date): IdpHealth {
    const cycle = windowOf(a.cycle);
    const share = cycle.errorRate * 100;
    const judged = cycle.requests >= t.minRequests;
    const level: HealthLevel = !judged ? 'ok' : share >= t.criticalPercent ? 'critical' : share >= t.warnPercent ? 'warning' : 'ok';
    const kinds = [...a.kinds.values()];
    const topErrors = kinds.sort((x, y) => y.count - x.count || y.cycleCount - x.cycleCount).slice(0, TOP_ERRORS);
    // The likely cause is the kind behind most of the recent failures (the last cycle, else 24 h).
    const byCycle = [...kinds].sort((x, y) => y.cycleCount - x.cycleCount)[0];
    const dominant =
      byCycle && byCycle.cycleCount > 0 ? { k: byCycle, n: byCycle.cycleCount, of: a.cycle.errors, w: 'the last cycle' } : null;
    const fallback = !dominant && topErrors[0] ? { k: topErrors[0], n: topErrors[0].count, of: a.day.errors, w: 'the last 24 h' } : null;
    const cause = dominant ?? fallback;
    let lastSuccessAt = a.lastOkAt;
    if (!lastSuccessAt && dayFromId !== null && a.principal.id) lastSuccessAt = this.d.repo.lastSuccessBefore(a.principal.id, dayFromId);
    return {
      key,
      principal: a.principal,
      agent: a.agent,
      cycle,
      day: windowOf(a.day),
      topErrors,
      lastSuccessAt,
      secondsSinceSuccess: lastSuccessAt ? Math.max(0, Math.round((now.getTime() - Date.parse(lastSuccessAt)) / 1000)) : null,
      level,
      likelyCause: cause ? `${causeOf(cause.k.kind)} (${cause.n} of ${cause.of} errors in ${cause.w})` : null,
    };
  }
}
