import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { ConsoleError, Settings, SettingsView } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { type ListenerDraft, ListenerFields, listenerDraft, listenerPatch } from './ListenerForm';

const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

/** Every run-time setting as text (what the inputs hold), and back to the values the node checks. */
type Draft = {
  perSecond: string;
  burst: string;
  days: string;
  mb: string;
  policy: Settings['deletePolicy'];
  autoLink: boolean;
  /** Trusted proxies as typed: addresses or CIDR ranges, comma-separated. */
  proxy: string;
  oauthTtl: string;
  warnPct: string;
  critPct: string;
  notify: boolean;
  undeclared: Settings['undeclaredExtensions'];
  alarmPercent: string;
  alarmCount: string;
  alarmWindow: string;
  feedDays: string;
  retryHours: string;
};

const toDraft = (s: Settings): Draft => ({
  perSecond: String(s.rateLimit.perSecond),
  burst: String(s.rateLimit.burst),
  days: String(s.eventRetentionDays),
  mb: String(s.eventRetentionMaxMb),
  policy: s.deletePolicy,
  autoLink: s.autoLink,
  proxy: s.trustProxy.join(', '),
  oauthTtl: String(s.oauthTokenTtlSeconds),
  warnPct: String(s.healthWarnPercent),
  critPct: String(s.healthCriticalPercent),
  notify: s.desktopNotifications,
  undeclared: s.undeclaredExtensions,
  alarmPercent: String(s.deprovisionAlarm.percent),
  alarmCount: String(s.deprovisionAlarm.count),
  alarmWindow: String(s.deprovisionAlarm.windowMinutes),
  feedDays: String(s.changeEventRetentionDays),
  retryHours: String(s.webhookRetryHours),
});

const fromDraft = (d: Draft): Settings => ({
  rateLimit: { perSecond: num(d.perSecond), burst: num(d.burst) },
  eventRetentionDays: num(d.days),
  eventRetentionMaxMb: num(d.mb),
  changeEventRetentionDays: num(d.feedDays),
  webhookRetryHours: num(d.retryHours),
  deletePolicy: d.policy,
  autoLink: d.autoLink,
  trustProxy: d.proxy
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean),
  oauthTokenTtlSeconds: num(d.oauthTtl),
  healthWarnPercent: num(d.warnPct),
  healthCriticalPercent: num(d.critPct),
  desktopNotifications: d.notify,
  undeclaredExtensions: d.undeclared,
  deprovisionAlarm: { percent: num(d.alarmPercent), count: num(d.alarmCount), windowMinutes: num(d.alarmWindow) },
});

/** Only the keys the admin changed, so a save never rewrites a value someone else set meanwhile. */
function changed(next: Settings, prev: Settings): Partial<Settings> {
  const out: Partial<Settings> = {};
  for (const k of Object.keys(next) as (keyof Settings)[]) {
    if (JSON.stringify(next[k]) !== JSON.stringify(prev[k])) (out as Record<string, unknown>)[k] = next[k];
  }
  return out;
}

/** A group of fields; the error of a setting in it shows here, beside the value that caused it. */
function Group({ title, keys, error, children }: { title: string; keys: string[]; error: ConsoleError | null; children: ReactNode }) {
  const mine = error?.field && keys.includes(error.field.split('.')[0] ?? '') ? error : null;
  return (
    <fieldset className="setting">
      <legend>{title}</legend>
      <div className="form-row">{children}</div>
      <InlineError error={mine} />
    </fieldset>
  );
}

const LISTENER_KEYS = ['host', 'port', 'consolePort', 'tlsCert', 'tlsKey'];

function SettingsForm({ view }: { view: SettingsView }) {
  const save = useStore((s) => s.saveSettingsForm);
  const state = useStore((s) => s.settingsFormState);
  const error = useStore((s) => s.settingsFormError);
  const [d, setD] = useState<Draft>(() => toDraft(view.settings));
  const [l, setL] = useState<ListenerDraft>(() => listenerDraft(view));
  const [listenerSaved, setListenerSaved] = useState(false);
  const put =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setD({ ...d, [k]: v });
  const text = (k: keyof Draft) => (e: { target: { value: string } }) => put(k)(e.target.value as never);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const listener = listenerPatch(l, view);
    if (await save(changed(fromDraft(d), view.settings), listener)) setListenerSaved(listener !== null);
  };
  const known = new Set([
    'rateLimit',
    'eventRetentionDays',
    'eventRetentionMaxMb',
    'deletePolicy',
    'autoLink',
    'trustProxy',
    'deprovisionAlarm',
    'oauthTokenTtlSeconds',
    'healthWarnPercent',
    'healthCriticalPercent',
    'desktopNotifications',
    'undeclaredExtensions',
    ...LISTENER_KEYS,
  ]);
  const other = error && !known.has(error.field?.split('.')[0] ?? '') ? error : null;
  return (
    <form className="settings-form" aria-label="Settings" onSubmit={(e) => void submit(e)}>
      <Section title="Provisioning (applies at once)">
        <Group title="Rate limit per token" keys={['rateLimit']} error={error}>
          <Field label="Requests per second">
            <input type="number" min={1} value={d.perSecond} onChange={text('perSecond')} />
          </Field>
          <Field label="Burst">
            <input type="number" min={1} value={d.burst} onChange={text('burst')} />
          </Field>
        </Group>
        <Group title="Deleted users" keys={['deletePolicy']} error={error}>
          <Field label="When the IdP deletes a user" hint="Either way the SCIM API answers 404 for the user afterwards">
            <select value={d.policy} onChange={(e) => put('policy')(e.target.value as Settings['deletePolicy'])}>
              {/* RFC 7644 §3.6: either way the user is gone for SCIM (404); "retain" only keeps an audit tombstone. */}
              <option value="retain">Delete the user, keep an audit tombstone</option>
              <option value="hard">Delete the user and erase the record</option>
            </select>
          </Field>
        </Group>
        <Group title="Undeclared extension attributes" keys={['undeclaredExtensions']} error={error}>
          <Field label="When an IdP sends an extension attribute nobody declared" hint="See the Extensions screen to declare them">
            <select value={d.undeclared} onChange={(e) => put('undeclared')(e.target.value as Settings['undeclaredExtensions'])}>
              <option value="keep">Keep it (stored, returned, listed as undeclared)</option>
              <option value="reject">Refuse the request (400 invalidSyntax)</option>
            </select>
          </Field>
        </Group>
        <Group title="Matching" keys={['autoLink', 'trustProxy']} error={error}>
          <Field label="Link IdP users to admin-added members with the same userName" inline>
            <input type="checkbox" checked={d.autoLink} onChange={(e) => put('autoLink')(e.target.checked)} />
          </Field>
          <Field label="Read X-Forwarded-For only from these proxy addresses or CIDR ranges (comma-separated; empty = none)">
            <input type="text" placeholder="127.0.0.1, 10.0.0.0/8" value={d.proxy} onChange={text('proxy')} />
          </Field>
        </Group>
        <Group title="Deprovision alarm" keys={['deprovisionAlarm']} error={error}>
          <Field label="Percent of members">
            <input type="number" min={1} max={100} value={d.alarmPercent} onChange={text('alarmPercent')} />
          </Field>
          <Field label="Or count">
            <input type="number" min={1} value={d.alarmCount} onChange={text('alarmCount')} />
          </Field>
          <Field label="Within (minutes)">
            <input type="number" min={1} value={d.alarmWindow} onChange={text('alarmWindow')} />
          </Field>
        </Group>
        <Group title="Event log retention" keys={['eventRetentionDays', 'eventRetentionMaxMb']} error={error}>
          <Field label="Keep events for (days)">
            <input type="number" min={1} value={d.days} onChange={text('days')} />
          </Field>
          <Field label="Maximum event log size (MB)">
            <input type="number" min={1} value={d.mb} onChange={text('mb')} />
          </Field>
        </Group>
        <Group title="Downstream delivery" keys={['changeEventRetentionDays', 'webhookRetryHours']} error={error}>
          <Field label="Keep change events for (days)">
            <input type="number" min={1} value={d.feedDays} onChange={text('feedDays')} />
          </Field>
          <Field label="Retry a webhook delivery for (hours)">
            <input type="number" min={1} value={d.retryHours} onChange={text('retryHours')} />
          </Field>
        </Group>
        <Group title="IdP health" keys={['healthWarnPercent', 'healthCriticalPercent']} error={error}>
          <Field label="Warn above this error rate (%)">
            <input type="number" min={0} max={100} value={d.warnPct} onChange={text('warnPct')} />
          </Field>
          <Field label="Critical above this error rate (%)">
            <input type="number" min={0} max={100} value={d.critPct} onChange={text('critPct')} />
          </Field>
        </Group>
        <Group title="OAuth and notifications" keys={['oauthTokenTtlSeconds', 'desktopNotifications']} error={error}>
          <Field label="Access token lifetime (seconds)">
            <input type="number" min={60} value={d.oauthTtl} onChange={text('oauthTtl')} />
          </Field>
          <Field label="Show alerts as desktop notifications (desktop app)" inline>
            <input type="checkbox" checked={d.notify} onChange={(e) => put('notify')(e.target.checked)} />
          </Field>
        </Group>
      </Section>
      <ListenerFields view={view} draft={l} onChange={setL} error={error && LISTENER_KEYS.includes(error.field ?? '') ? error : null} />
      <div className="form-foot">
        <Button type="submit" variant="primary" busy={state === 'saving'}>
          Save settings
        </Button>
        <span role="status" className={state === 'error' ? 'error-text' : 'ok-text'}>
          {state === 'saved'
            ? listenerSaved || view.restartRequired
              ? 'Saved. Provisioning settings apply now; restart the node to apply the new listener.'
              : 'Saved. The changes apply now.'
            : state === 'error'
              ? 'Not saved: fix the value marked above.'
              : ''}
        </span>
        <InlineError error={other} />
      </div>
    </form>
  );
}

export function SettingsScreen() {
  const view = useStore((s) => s.settingsView);
  const load = useStore((s) => s.loadSettings);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Settings" />
      <RemoteView remote={view} what="settings" retry={() => void load()}>
        {(v) => <SettingsForm view={v} />}
      </RemoteView>
    </>
  );
}
