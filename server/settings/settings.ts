import { ipList } from '../auth/ip-list.js';
import type { Settings } from '../console/contract.js';
import { isObject } from '../scim/json.js';
import type { SettingsRepo } from '../store/settings-repo.js';

/** Run-time settings of a node; the shape (and each key's meaning) is declared in the contract. */
export type { Settings };

export const DEFAULT_SETTINGS: Settings = {
  deletePolicy: 'retain',
  autoLink: false,
  // Entra documents 25 requests/second per tenant; 50/s with a 100-request burst always passes it.
  rateLimit: { perSecond: 50, burst: 100 },
  eventRetentionDays: 90,
  eventRetentionMaxMb: 1024,
  trustProxy: [],
  deprovisionAlarm: { percent: 10, count: 50, windowMinutes: 10 },
  oauthTokenTtlSeconds: 3600,
  // Entra quarantines a job above 40% failures: warn well before, and go critical just before.
  healthWarnPercent: 20,
  healthCriticalPercent: 35,
  // Custom attributes are never dropped silently: kept until an admin declares them or chooses 'reject'.
  undeclaredExtensions: 'keep',
  desktopNotifications: true,
  changeEventRetentionDays: 30,
  webhookRetryHours: 72,
};

/** What `trustProxy: true` means: a reverse proxy on this host. */
export const LOOPBACK_PROXIES: readonly string[] = ['127.0.0.0/8', '::1'];

export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`setting "${key}": ${message}`);
  }
}

function num(key: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new SettingsError(key, `must be a number from ${min} to ${max}`);
  return v;
}

const VALIDATORS: { [K in keyof Settings]: (v: unknown) => Settings[K] } = {
  deletePolicy: (v) => {
    if (v !== 'retain' && v !== 'hard') throw new SettingsError('deletePolicy', 'must be "retain" or "hard"');
    return v;
  },
  autoLink: (v) => {
    if (typeof v !== 'boolean') throw new SettingsError('autoLink', 'must be true or false');
    return v;
  },
  rateLimit: (v) => {
    if (!isObject(v)) throw new SettingsError('rateLimit', 'must be {"perSecond": n, "burst": n}');
    return { perSecond: num('rateLimit.perSecond', v.perSecond, 1, 100_000), burst: num('rateLimit.burst', v.burst, 1, 1_000_000) };
  },
  eventRetentionDays: (v) => num('eventRetentionDays', v, 1, 36_500),
  eventRetentionMaxMb: (v) => num('eventRetentionMaxMb', v, 1, 1_000_000),
  trustProxy: (v) => {
    // Before the list form this was a boolean; true trusted whatever connected, which was only safe
    // behind a proxy on the same host, so it now means exactly that: loopback.
    if (v === true) return [...LOOPBACK_PROXIES];
    if (v === false) return [];
    if (!Array.isArray(v) || !v.every((e): e is string => typeof e === 'string') || v.length > 100)
      throw new SettingsError('trustProxy', 'must be a list of proxy addresses or CIDR ranges (true = loopback, false = none)');
    const entries = v.map((e) => e.trim());
    try {
      ipList(entries);
    } catch (e) {
      throw new SettingsError('trustProxy', (e as Error).message);
    }
    return entries;
  },
  deprovisionAlarm: (v) => {
    if (!isObject(v)) throw new SettingsError('deprovisionAlarm', 'must be {"percent": n, "count": n, "windowMinutes": n}');
    return {
      percent: num('deprovisionAlarm.percent', v.percent, 0, 100),
      count: num('deprovisionAlarm.count', v.count, 1, 10_000_000),
      windowMinutes: num('deprovisionAlarm.windowMinutes', v.windowMinutes, 1, 10_080),
    };
  },
  oauthTokenTtlSeconds: (v) => Math.round(num('oauthTokenTtlSeconds', v, 300, 21_600)),
  healthWarnPercent: (v) => num('healthWarnPercent', v, 1, 100),
  healthCriticalPercent: (v) => num('healthCriticalPercent', v, 1, 100),
  undeclaredExtensions: (v) => {
    if (v !== 'keep' && v !== 'reject') throw new SettingsError('undeclaredExtensions', 'must be "keep" or "reject"');
    return v;
  },
  desktopNotifications: (v) => {
    if (typeof v !== 'boolean') throw new SettingsError('desktopNotifications', 'must be true or false');
    return v;
  },
  changeEventRetentionDays: (v) => num('changeEventRetentionDays', v, 1, 36_500),
  webhookRetryHours: (v) => num('webhookRetryHours', v, 1, 720),
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export function validateSetting<K extends keyof Settings>(key: K, value: unknown): Settings[K] {
  return VALIDATORS[key](value);
}

/**
 * Settings are read on the request path (rate limits, delete policy), so they are cached and
 * re-read at most once a second; a CLI or console change reaches a running node within that second.
 */
export class SettingsService {
  private cache: Settings | null = null;
  private readAt = 0;

  constructor(
    private readonly repo: SettingsRepo,
    private readonly seed: Partial<Settings> = {},
    private readonly clock: () => number,
  ) {}

  get(): Settings {
    const now = this.clock();
    if (this.cache && now - this.readAt < 1000) return this.cache;
    const stored = this.repo.all();
    const merged: Settings = { ...DEFAULT_SETTINGS };
    for (const key of SETTING_KEYS) {
      // Seeds and stored values pass the same validator, which also upgrades older value forms.
      for (const source of [this.seed as Record<string, unknown>, stored]) {
        if (!(key in source)) continue;
        try {
          (merged as unknown as Record<string, unknown>)[key] = validateSetting(key, source[key]);
        } catch {
          // A value this build rejects falls back to the default rather than stopping the node.
        }
      }
    }
    this.cache = merged;
    this.readAt = now;
    return merged;
  }

  /**
   * The console's one Save: every key is validated before any is written, then all are written in
   * one transaction, so a bad value leaves every setting as it was (the error names its key).
   */
  update(patch: Partial<Record<keyof Settings, unknown>>): Settings {
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(patch) as [keyof Settings, unknown][]) {
      if (!SETTING_KEYS.includes(key)) throw new SettingsError(String(key), 'is not a known setting');
      if (value === undefined) continue;
      entries.push([key, validateSetting(key, value)]);
    }
    if (entries.length) this.repo.putMany(entries);
    this.cache = null;
    return this.get();
  }

  set<K extends keyof Settings>(key: K, value: unknown): Settings {
    if (!SETTING_KEYS.includes(key)) throw new SettingsError(String(key), 'is not a known setting');
    this.repo.put(key, validateSetting(key, value));
    this.cache = null;
    return this.get();
  }
}
