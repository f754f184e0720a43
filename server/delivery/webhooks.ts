import { randomBytes, randomUUID } from 'node:crypto';
import type { DeadLetterItem, WebhookAttemptItem, WebhookEndpointSummary } from '../console/contract.js';
import { InputError } from '../input-error.js';
import type { ChangeEventsRepo } from '../store/change-events-repo.js';
import type { StoredEndpoint, WebhooksRepo } from '../store/webhooks-repo.js';
import type { Dispatcher, PostResult } from './dispatcher.js';
import { parsePatterns, typesOf } from './patterns.js';

/** One endpoint as `webhook list --json` and the console show it. */
export type EndpointSummary = WebhookEndpointSummary;

const SECRET_PREFIX = 'whsec_';

/** Only http and https, with a host (issue #14 §3). */
export function validateUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InputError(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(`webhook URLs must be http or https, not ${url.protocol.replace(':', '')}`);
  if (!url.hostname) throw new InputError(`"${text}" has no host`);
  return url.toString();
}

/** Webhook endpoints: add, list, test, redeliver, enable/disable, remove, rotate the secret. */
export class WebhookService {
  constructor(
    private readonly repo: WebhooksRepo,
    private readonly events: ChangeEventsRepo,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => Date,
    /** Wakes delivery (in this thread or in the delivery worker) after a change to an endpoint. */
    private readonly wake: () => void = () => dispatcher.kick(),
  ) {}

  /** A new endpoint receives events from now on. Returns the signing secret once. */
  add(input: { url: string; events?: string; label?: string }): { endpoint: EndpointSummary; secret: string } {
    const url = validateUrl(input.url);
    const events = parsePatterns(input.events);
    const label = (input.label ?? '').trim() || new URL(url).host;
    if (label.length > 200) throw new InputError('a webhook label is at most 200 characters');
    const id = randomUUID();
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.repo.insert({ id, label, url, events, createdAt: this.now().toISOString(), cursor: this.events.newestId() }, secret);
    this.wake();
    return { endpoint: this.summary(this.must(id)), secret };
  }

  list(): EndpointSummary[] {
    return this.repo.list().map((e) => this.summary(e));
  }

  get(id: string): EndpointSummary {
    return this.summary(this.must(id));
  }

  remove(id: string): void {
    if (!this.repo.remove(id)) throw new InputError(`no webhook endpoint with id ${id}`);
  }

  setEnabled(id: string, enabled: boolean): EndpointSummary {
    if (!this.repo.setEnabled(id, enabled)) throw new InputError(`no webhook endpoint with id ${id}`);
    if (enabled) this.wake();
    return this.get(id);
  }

  /** A new secret signs from now on; the old ones keep signing too until the grace period ends. */
  rotateSecret(id: string, graceMs: number): { secret: string; oldSecretsExpireAt: string } {
    this.must(id);
    const at = this.now();
    const until = new Date(at.getTime() + graceMs).toISOString();
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.repo.rotateSecret(id, secret, at.toISOString(), until);
    return { secret, oldSecretsExpireAt: until };
  }

  /** `--from EVENT_ID`: every event from that one on again; `--dead-letters`: the dead letters, once each. */
  redeliver(id: string, opts: { from?: number; deadLetters?: boolean }): { requeued: number } {
    const ep = this.must(id);
    if (opts.deadLetters) {
      const n = this.repo.requeueDeadLetters(id);
      this.wake();
      return { requeued: n };
    }
    if (opts.from === undefined || !Number.isSafeInteger(opts.from) || opts.from < 1)
      throw new InputError('redeliver needs --from EVENT_ID or --dead-letters');
    const oldest = this.events.oldestId();
    if (oldest === null || opts.from < oldest)
      throw new InputError(`event ${opts.from} is no longer retained (the oldest is ${oldest ?? 'none'})`);
    this.repo.rewind(id, opts.from - 1);
    this.wake();
    return { requeued: Math.max(0, this.events.countTypesAfter(opts.from - 1, typesOf(ep.events))) };
  }

  /** Sends a `ping` event (not part of the feed) and reports the answer. */
  async test(id: string): Promise<PostResult> {
    const ep = this.must(id);
    const at = this.now().toISOString();
    const ping = {
      id: `ping_${randomUUID()}`,
      type: 'ping',
      occurredAt: at,
      requestId: null,
      actor: { kind: 'cli' },
      data: { endpointId: id },
    };
    const body = JSON.stringify(ping);
    const r = await this.dispatcher.post(ep.url, body, this.dispatcher.request(ep, ping, body));
    this.repo.recordAttempt({
      endpointId: id,
      eventId: 0,
      eventType: 'ping',
      time: at,
      status: r.status,
      latencyMs: r.latencyMs,
      error: r.error,
      responseExcerpt: r.excerpt,
    });
    return r;
  }

  attempts(id: string, limit = 50): WebhookAttemptItem[] {
    this.must(id);
    return this.repo.attempts(id, Math.min(Math.max(1, limit), 1000));
  }

  deadLetters(id: string, limit = 200): DeadLetterItem[] {
    this.must(id);
    return this.repo.deadLetters(id, Math.min(Math.max(1, limit), 1000));
  }

  private must(id: string): StoredEndpoint {
    const ep = this.repo.get(id);
    if (!ep) throw new InputError(`no webhook endpoint with id ${id}`);
    return ep;
  }

  private summary(e: StoredEndpoint): EndpointSummary {
    const all = e.events.includes('*');
    const pending = all
      ? this.events.countBetween(e.cursor, this.events.newestId())
      : this.events.countTypesAfter(e.cursor, typesOf(e.events));
    const first = pending > 0 ? this.events.firstTimeAfter(e.cursor) : undefined;
    return {
      id: e.id,
      label: e.label,
      url: e.url,
      events: e.events,
      status: !e.enabled ? 'disabled' : e.failing ? 'failing' : 'active',
      lastDeliveryAt: e.lastDeliveryAt,
      lastStatus: e.lastStatus,
      pendingEvents: pending,
      lagSeconds: first ? Math.max(0, Math.round((this.now().getTime() - Date.parse(first)) / 1000)) : 0,
      deadLettered: this.repo.deadCount(e.id),
      nextAttemptAt: e.nextAttemptAt,
      attempts: e.attempts,
    };
  }
}
