import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { Settings } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { ListenerForm } from './ListenerForm';

/** One setting key, edited as a small form with its own Save, so a bad value is reported next to it. */
function SettingForm<K extends keyof Settings>({
  k,
  title,
  value,
  children,
}: {
  k: K;
  title: string;
  value: () => Settings[K];
  children: ReactNode;
}) {
  const save = useStore((s) => s.saveSetting);
  const saving = useStore((s) => s.settingsSaving === k);
  const saved = useStore((s) => s.settingsSaved === k);
  const error = useStore((s) => s.settingsErrors[k] ?? null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(k, value());
  };
  return (
    <form className="setting" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      <div className="form-row">
        {children}
        <Button type="submit" busy={saving}>
          Save
        </Button>
        {saved ? (
          <span className="ok-text" role="status">
            Saved
          </span>
        ) : null}
      </div>
      <InlineError error={error} />
    </form>
  );
}

const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

function Editable({ settings }: { settings: Settings }) {
  const [rate, setRate] = useState({ perSecond: String(settings.rateLimit.perSecond), burst: String(settings.rateLimit.burst) });
  const [days, setDays] = useState(String(settings.eventRetentionDays));
  const [mb, setMb] = useState(String(settings.eventRetentionMaxMb));
  const [policy, setPolicy] = useState(settings.deletePolicy);
  const [autoLink, setAutoLink] = useState(settings.autoLink);
  const [proxy, setProxy] = useState(settings.trustProxy.join(', '));
  const [oauthTtl, setOauthTtl] = useState(String(settings.oauthTokenTtlSeconds));
  const [warnPct, setWarnPct] = useState(String(settings.healthWarnPercent));
  const [critPct, setCritPct] = useState(String(settings.healthCriticalPercent));
  const [notify, setNotify] = useState(settings.desktopNotifications);
  const [alarm, setAlarm] = useState({
    percent: String(settings.deprovisionAlarm.percent),
    count: String(settings.deprovisionAlarm.count),
    windowMinutes: String(settings.deprovisionAlarm.windowMinutes),
  });
  return (
    <Section title="Provisioning">
      <SettingForm k="rateLimit" title="Rate limit per token" value={() => ({ perSecond: num(rate.perSecond), burst: num(rate.burst) })}>
        <Field label="Requests per second">
          <input type="number" min={1} value={rate.perSecond} onChange={(e) => setRate({ ...rate, perSecond: e.target.value })} />
        </Field>
        <Field label="Burst">
          <input type="number" min={1} value={rate.burst} onChange={(e) => setRate({ ...rate, burst: e.target.value })} />
        </Field>
      </SettingForm>
      <SettingForm k="eventRetentionDays" title="Event retention (days)" value={() => num(days)}>
        <Field label="Keep events for (days)">
          <input type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} />
        </Field>
      </SettingForm>
      <SettingForm k="eventRetentionMaxMb" title="Event retention (size)" value={() => num(mb)}>
        <Field label="Maximum event log size (MB)">
          <input type="number" min={1} value={mb} onChange={(e) => setMb(e.target.value)} />
        </Field>
      </SettingForm>
      <SettingForm k="deletePolicy" title="Delete policy" value={() => policy}>
        <Field label="When the IdP deletes a user">
          <select value={policy} onChange={(e) => setPolicy(e.target.value as Settings['deletePolicy'])}>
            {/* RFC 7644 §3.6: either way the user is gone for SCIM (404); "retain" only keeps an audit tombstone. */}
            <option value="retain">Delete the user, keep an audit tombstone</option>
            <option value="hard">Delete the user and erase the record</option>
          </select>
        </Field>
      </SettingForm>
      <SettingForm k="autoLink" title="Auto-link" value={() => autoLink}>
        <Field label="Link IdP users to admin-added members with the same userName" inline>
          <input type="checkbox" checked={autoLink} onChange={(e) => setAutoLink(e.target.checked)} />
        </Field>
      </SettingForm>
      <SettingForm
        k="trustProxy"
        title="Trusted proxies"
        value={() =>
          proxy
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean)
        }
      >
        <Field label="Read X-Forwarded-For only from these proxy addresses or CIDR ranges (comma-separated; empty = none)">
          <input type="text" placeholder="127.0.0.1, 10.0.0.0/8" value={proxy} onChange={(e) => setProxy(e.target.value)} />
        </Field>
      </SettingForm>
      <SettingForm
        k="deprovisionAlarm"
        title="Deprovision alarm"
        value={() => ({ percent: num(alarm.percent), count: num(alarm.count), windowMinutes: num(alarm.windowMinutes) })}
      >
        <Field label="Percent of members">
          <input type="number" min={1} max={100} value={alarm.percent} onChange={(e) => setAlarm({ ...alarm, percent: e.target.value })} />
        </Field>
        <Field label="Or count">
          <input type="number" min={1} value={alarm.count} onChange={(e) => setAlarm({ ...alarm, count: e.target.value })} />
        </Field>
        <Field label="Within (minutes)">
          <input
            type="number"
            min={1}
            value={alarm.windowMinutes}
            onChange={(e) => setAlarm({ ...alarm, windowMinutes: e.target.value })}
          />
        </Field>
      </SettingForm>
      <SettingForm k="oauthTokenTtlSeconds" title="OAuth access tokens" value={() => num(oauthTtl)}>
        <Field label="Access token lifetime (seconds)">
          <input type="number" min={60} value={oauthTtl} onChange={(e) => setOauthTtl(e.target.value)} />
        </Field>
      </SettingForm>
      <SettingForm k="healthWarnPercent" title="IdP health: warning" value={() => num(warnPct)}>
        <Field label="Warn above this error rate (%)">
          <input type="number" min={0} max={100} value={warnPct} onChange={(e) => setWarnPct(e.target.value)} />
        </Field>
      </SettingForm>
      <SettingForm k="healthCriticalPercent" title="IdP health: critical" value={() => num(critPct)}>
        <Field label="Critical above this error rate (%)">
          <input type="number" min={0} max={100} value={critPct} onChange={(e) => setCritPct(e.target.value)} />
        </Field>
      </SettingForm>
      <SettingForm k="desktopNotifications" title="Desktop notifications" value={() => notify}>
        <Field label="Show alerts as desktop notifications (desktop app)" inline>
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
        </Field>
      </SettingForm>
    </Section>
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
        {(v) => (
          <div className="grid-2">
            <Editable settings={v.settings} />
            <ListenerForm view={v} />
          </div>
        )}
      </RemoteView>
    </>
  );
}
