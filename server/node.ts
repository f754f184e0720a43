import { AppTokenService } from './auth/app-tokens.js';
import { ConsoleAuth } from './auth/console-auth.js';
import { FailureThrottle, TokenRateLimiter } from './auth/rate-limit.js';
import { TokenService } from './auth/tokens.js';
import { Dispatcher, realScheduler, type Scheduler } from './delivery/dispatcher.js';
import { ChangeFeed } from './delivery/outbox.js';
import { DownstreamReadService } from './delivery/read-api.js';
import { pruneChangeFeedStep } from './delivery/retention.js';
import { WebhookService } from './delivery/webhooks.js';
import { DeliveryHost, deliveryWorkerFile } from './delivery/worker-host.js';
import { CursorCodec } from './directory/cursor.js';
import { ExtensionsService } from './directory/extensions.js';
import { GroupsService } from './directory/groups.js';
import { MembersService } from './directory/members.js';
import { OverviewService } from './directory/overview.js';
import { type DirectoryDeps, UsersService } from './directory/users.js';
import { AlertsService } from './events/alerts.js';
import { Bus } from './events/bus.js';
import { EventLogService } from './events/events.js';
import { EventRecorder } from './events/recorder.js';
import { redactValue } from './events/redact.js';
import { startRetention } from './events/retention.js';
import { HealthService } from './health/health.js';
import { OAUTH_BASE_PATH } from './http/oauth-router.js';
import { scimApp } from './http/scim-app.js';
import { formatLogLine } from './log-line.js';
import { AccessModel } from './mappings/access.js';
import { RoleService } from './mappings/roles.js';
import { OAuthService } from './oauth/oauth.js';
import { TokenEndpoint } from './oauth/token-endpoint.js';
import { TransferService } from './ops/transfer.js';
import type { Paging } from './scim/messages.js';
import { type Settings, SettingsService } from './settings/settings.js';
import { SimulateService } from './simulate/service.js';
import { AlertsRepo } from './store/alerts-repo.js';
import { AppTokensRepo } from './store/app-tokens-repo.js';
import { ChangeEventsRepo } from './store/change-events-repo.js';
import { ConflictsRepo } from './store/conflicts-repo.js';
import { ConsoleLoginRepo } from './store/console-login-repo.js';
import { onlineBackup } from './store/database-file.js';
import { checkpoint, type Db, openDb } from './store/db.js';
import { DirectoryReadRepo } from './store/directory-read-repo.js';
import { EventsRepo } from './store/events-repo.js';
import { ExtensionsRepo } from './store/extensions-repo.js';
import { GroupsRepo } from './store/groups-repo.js';
import { HealthRepo } from './store/health-repo.js';
import { backupBeforeMigrate, migrate } from './store/migrate.js';
import { OAuthRepo } from './store/oauth-repo.js';
import { RolesRepo } from './store/roles-repo.js';
import { SettingsRepo } from './store/settings-repo.js';
import { StatsRepo } from './store/stats-repo.js';
import { TokensRepo } from './store/tokens-repo.js';
import { UsersRepo } from './store/users-repo.js';
import { WebhooksRepo } from './store/webhooks-repo.js';

export interface NodeConfig {
  /** SQLite file, or ':memory:' for tests. */
  dbFile: string;
  paging?: Partial<Paging>;
  /** Largest accepted request body (413 above it). Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Record requests in the event log (on in production; the bench measures its cost). */
  eventLog?: boolean;
  /** Attribute names, besides password, whose values are redacted from the event log. */
  sensitiveAttributes?: string[];
  /** Bodies stored in the event log are cut at this size. Default 64 KiB. */
  eventBodyCapBytes?: number;
  /** Where an automatic pre-migration backup goes; none when unset (tests, ':memory:'). */
  backupDir?: string;
  /** Settings a fresh node starts from (the config file seeds these); stored settings win. */
  settings?: Partial<Settings>;
  /** Path of the better-sqlite3 addon to load instead of node_modules' build (the Electron host's). */
  nativeBinding?: string;
  now?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  /** Webhook delivery timers and HTTP client; tests pass a fake scheduler (and clock) to drive them. */
  webhooks?: { scheduler?: Scheduler; random?: () => number; pollMs?: number };
}

/**
 * What hosts (serve, the CLI, Electron) and console handlers see: services only. The database and
 * the repositories stay inside the composition root, so SQL never leaks past server/store.
 */
export interface ScimNode {
  /** The one clock of the node: every service, handler and host reads time here (tests inject it). */
  now: () => Date;
  bus: Bus;
  /** The SCIM API as an express app, mounted at /api/scim/v2. */
  scim: ReturnType<typeof scimApp>;
  users: UsersService;
  groups: GroupsService;
  members: MembersService;
  events: EventLogService;
  /** Writes any queued event-log rows now (they are group-committed once per event-loop turn). */
  flushEvents(): void;
  /** Starts the node's background work (event-log retention); `serve` calls it, the CLI does not. */
  startBackground(): void;
  roles: RoleService;
  settings: SettingsService;
  tokens: TokenService;
  /** OAuth 2.0 clients and access tokens (client credentials grant). */
  oauth: OAuthService;
  /** Per-IdP provisioning health from the event log. */
  health: HealthService;
  /** Declared extension schemas (RFC 7643 §3.3) and the undeclared attributes seen. */
  extensions: ExtensionsService;
  /** Counts and lists for the console overview and the Prometheus gauges. */
  overview: OverviewService;
  /** Login codes and sessions of the headless web console. */
  consoleAuth: ConsoleAuth;
  /** Directory export and import as JSON Lines. */
  transfer: TransferService;
  /** Test sync runs started from the console. */
  simulate: SimulateService;
  /** Online, consistent backup of the database to a file (works while serving). */
  backup(to: string, progress?: (done: number, total: number) => void): Promise<{ pages: number }>;
  /** Writes queued events, then folds the WAL back into the database file. */
  checkpoint(): void;
  /** False once `close()` ran. */
  readonly open: boolean;
  /** The better-sqlite3 addon file this node asked for; null means node_modules' Node build. */
  readonly nativeBinding: string | null;
  /** The worker file webhook delivery runs in; null while it runs in the node's own thread. */
  readonly deliveryWorker: string | null;
  alerts: AlertsService;
  limiter: TokenRateLimiter;
  /** The change feed (transactional outbox) of issue #14. */
  feed: ChangeFeed;
  /** Read-only credentials of downstream applications. */
  appTokens: AppTokenService;
  /** The read API and feed pages served at /api/directory/v1. */
  downstream: DownstreamReadService;
  webhooks: WebhookService;
  /** Webhook delivery; `startBackground` starts it. Tests drive `drain()` with a fake clock. */
  deliveries: Dispatcher;
  /** One bounded step of change-feed retention (the background runs it every minute). */
  pruneChangeFeed(): number;
  close(): void;
}

export const DEFAULT_PAGING: Paging = { defaultCount: 100, maxCount: 1000, cursorTimeoutSeconds: 3600 };

const defaultLog = (msg: string, err?: unknown): void => {
  process.stderr.write(`${formatLogLine(msg, err)}\n`);
};

/** The composition root: opens and migrates the database, then builds every service over it. */
export function startNode(config: NodeConfig): ScimNode {
  return startNodeWithStore(config).node;
}

/** The store behind a node, for tests that assert database state; no host or handler may use it. */
export interface NodeStore {
  db: Db;
  repos: NodeRepos;
}

export type NodeRepos = ReturnType<typeof buildRepos>;

function buildRepos(db: Db) {
  return {
    users: new UsersRepo(db),
    groups: new GroupsRepo(db),
    events: new EventsRepo(db),
    tokens: new TokensRepo(db),
    roles: new RolesRepo(db),
    conflicts: new ConflictsRepo(db),
    settings: new SettingsRepo(db),
    alerts: new AlertsRepo(db),
    oauth: new OAuthRepo(db),
    extensions: new ExtensionsRepo(db),
    changeEvents: new ChangeEventsRepo(db),
    webhooks: new WebhooksRepo(db),
    directoryRead: new DirectoryReadRepo(db),
    appTokens: new AppTokensRepo(db),
  };
}

/**
 * `startNode` plus the database handle and repositories it built: the test helpers' way to check
 * stored state. The architecture test refuses it anywhere in server/ or electron/ but here.
 */
export function startNodeWithStore(config: NodeConfig): { node: ScimNode } & NodeStore {
  const db = openDb(config.dbFile, { nativeBinding: config.nativeBinding });
  try {
    if (config.backupDir) {
      const saved = backupBeforeMigrate(db, config.backupDir);
      if (saved) (config.log ?? defaultLog)(`schema upgrade: saved the database first to ${saved}`);
    }
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  const now = config.now ?? (() => new Date());
  const log = config.log ?? defaultLog;
  const paging: Paging = { ...DEFAULT_PAGING, ...config.paging };
  const repos = buildRepos(db);
  const { changeEvents, webhooks: webhooksRepo, directoryRead } = repos;
  const bus = new Bus();
  const recorder = new EventRecorder(db, repos.events, repos.tokens, bus, config.eventLog ?? true, log, now);
  // In-process readers of the log and of token usage see every finished request first.
  const flushEvents = () => recorder.flush();
  const settings = new SettingsService(repos.settings, config.settings, () => now().getTime());
  const tokens = new TokenService(repos.tokens, now, flushEvents);
  const alerts = new AlertsService(repos.users, repos.alerts, repos.tokens, bus, () => settings.get(), now);
  const host = new DeliveryHost({
    anyEnabled: () => webhooksRepo.anyEnabled(),
    raiseAlert: (kind, severity, message, data) => alerts.raise(kind, severity, message, data),
    log,
  });
  const feed = new ChangeFeed(changeEvents, directoryRead, now, host.wake);
  const dispatcher = new Dispatcher({
    repo: webhooksRepo,
    feed,
    now,
    scheduler: config.webhooks?.scheduler ?? realScheduler,
    retryHours: () => settings.get().webhookRetryHours,
    raiseAlert: (kind, severity, message, data) => {
      alerts.raise(kind, severity, message, data);
    },
    log,
    random: config.webhooks?.random,
    pollMs: config.webhooks?.pollMs,
  });
  host.attach(dispatcher);
  const webhooks = new WebhookService(webhooksRepo, changeEvents, dispatcher, now, host.endpointsChanged);
  // A worker thread when the bundle has one and the database is a file; tests (fake scheduler,
  // ':memory:') deliver on this thread. The worker opens the database with the node's own addon: in
  // the packaged desktop app only the Electron-ABI build ships.
  const startDelivery = () =>
    host.start(config.dbFile === ':memory:' || config.webhooks?.scheduler ? null : deliveryWorkerFile(), {
      dbFile: config.dbFile,
      nativeBinding: config.nativeBinding,
      pollMs: config.webhooks?.pollMs,
      settings: config.settings,
    });
  const appTokens = new AppTokenService(repos.appTokens, now);
  const downstream = new DownstreamReadService(feed, directoryRead);
  const roles = new RoleService(db, repos.roles, now, feed);
  const access = new AccessModel(roles, repos.roles, alerts, now);
  const sensitive = new Set(['password', ...(config.sensitiveAttributes ?? []).map((s) => s.toLowerCase())]);
  // Declared secret-holding extension attributes join the redacted names as they are declared.
  const extensions = new ExtensionsService(db, repos.extensions, now, (names) => {
    for (const n of names) sensitive.add(n);
  });
  const deps: DirectoryDeps = {
    db,
    users: repos.users,
    groups: repos.groups,
    paging,
    cursors: new CursorCodec(now, paging.cursorTimeoutSeconds),
    now,
    conflicts: repos.conflicts,
    access,
    settings: () => settings.get(),
    redact: (body) => redactValue(body, sensitive),
    extensions,
    outbox: feed,
  };
  // The buckets read the node's clock when a test injects one; otherwise the monotonic clock, which
  // costs no Date per request on the hot path.
  const bucketClock = config.now ? () => now().getTime() : undefined;
  const limiter = new TokenRateLimiter(() => settings.get(), bucketClock);
  const users = new UsersService(deps);
  const groups = new GroupsService(deps);
  const events = new EventLogService(repos.events, flushEvents, (ref) => tokens.resolveRef(ref).id);
  // "Last IdP activity" in the conflict review: the newest successful request that touched the member.
  const lastIdpActivity = (userId: string) => events.list({ resourceId: userId, statusClass: 2 }, { limit: 1 }).items[0]?.time ?? null;
  const members = new MembersService(deps, roles, users, lastIdpActivity);
  const oauth = new OAuthService(repos.oauth, now);
  const failures = new FailureThrottle();
  const healthRepo = new HealthRepo(db);
  const health = new HealthService({
    events,
    repo: healthRepo,
    tokens: repos.tokens,
    oauth: repos.oauth,
    alerts,
    settings: () => settings.get(),
    now,
    oauthPath: `${OAUTH_BASE_PATH}/`,
    log,
  });
  let retention: { stop(): void } | null = null;
  let feedRetention: NodeJS.Timeout | null = null;
  const pruneChangeFeed = () => pruneChangeFeedStep(changeEvents, webhooksRepo, now(), settings.get().changeEventRetentionDays);
  let healthWatch: (() => void) | null = null;

  const overview = new OverviewService(new StatsRepo(db), events, now);
  const consoleAuth = new ConsoleAuth(new ConsoleLoginRepo(db), now);
  const transfer = new TransferService({ db, users: repos.users, groups: repos.groups, rolesRepo: repos.roles, roles, extensions, now });
  const simulate = new SimulateService(tokens, bus, flushEvents);
  const scim = scimApp({
    trustProxy: () => settings.get().trustProxy,
    ping: () => healthRepo.ping(),
    oauth: {
      endpoint: new TokenEndpoint(oauth, () => settings.get(), failures),
      recorder,
      sensitive,
      bodyCapBytes: config.eventBodyCapBytes ?? 64 * 1024,
      now,
      log,
    },
    scim: {
      users,
      groups,
      schemas: () => extensions.registry(),
      guard: { tokens, limiter, failures, alerts, oauth },
      recorder,
      paging,
      oauthEnabled: () => oauth.list().some((c) => c.state === 'active'),
      bodyLimitBytes: config.bodyLimitBytes ?? 1024 * 1024,
      sensitive,
      bodyCapBytes: config.eventBodyCapBytes ?? 64 * 1024,
      now,
      log,
    },
    directory: { appTokens, failures, limiter: new TokenRateLimiter(() => settings.get(), bucketClock), read: downstream, log },
  });

  let closed = false;
  const node: ScimNode = {
    now,
    bus,
    scim,
    users,
    groups,
    members,
    events,
    alerts,
    limiter,
    flushEvents,
    startBackground() {
      retention ??= startRetention(events, () => settings.get(), { now, log });
      healthWatch ??= health.watch(bus);
      if (!feedRetention) {
        startDelivery();
        // Change-feed retention in bounded steps, yielding between them (see pruneChangeFeedStep).
        const pruneAll = async () => {
          try {
            for (let i = 0; i < 1000 && !closed && pruneChangeFeed() > 0; i++) await new Promise((r) => setImmediate(r));
          } catch (e) {
            log('change-feed retention failed; will retry', e);
          }
        };
        feedRetention = setInterval(() => void pruneAll(), 60_000);
        feedRetention.unref();
        void pruneAll();
      }
    },
    roles,
    settings,
    tokens,
    oauth,
    health,
    extensions,
    feed,
    appTokens,
    downstream,
    webhooks,
    deliveries: dispatcher,
    pruneChangeFeed,
    overview,
    consoleAuth,
    transfer,
    simulate,
    backup: (to, progress = () => {}) => onlineBackup(db, to, progress),
    checkpoint() {
      recorder.flush();
      checkpoint(db);
    },
    get open() {
      return !closed;
    },
    nativeBinding: config.nativeBinding ?? null,
    get deliveryWorker() {
      return host.workerFile;
    },
    close() {
      if (closed) return;
      closed = true;
      retention?.stop();
      host.stop();
      if (feedRetention) clearInterval(feedRetention);
      healthWatch?.();
      recorder.close();
      db.close();
    },
  };
  return { node, db, repos };
}
