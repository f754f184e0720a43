import type { ConsoleError, ListenerConfig, SettingsView } from '../../../server/console/contract';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { Section } from '../../ui/Section';

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export interface ListenerDraft {
  host: string;
  port: string;
  consolePort: string;
  cert: string;
  key: string;
}

/** What a restart would use: config.json's keys over the running listener. */
export function listenerDraft(view: SettingsView): ListenerDraft {
  const start: ListenerConfig = { ...view.server, ...view.configured };
  return {
    host: start.host,
    port: String(start.port),
    consolePort: start.consolePort === null ? '' : String(start.consolePort),
    cert: start.tlsCert ?? '',
    key: start.tlsKey ?? '',
  };
}

/** The listener as the form says, or null when the admin changed none of it (nothing to write). */
export function listenerPatch(d: ListenerDraft, view: SettingsView): Partial<ListenerConfig> | null {
  const next: ListenerConfig = {
    host: d.host.trim(),
    port: Number(d.port),
    consolePort: d.consolePort.trim() === '' ? null : Number(d.consolePort),
    tlsCert: orNull(d.cert),
    tlsKey: orNull(d.key),
  };
  const was = listenerDraft(view);
  const same = (Object.keys(was) as (keyof ListenerDraft)[]).every((k) => was[k] === d[k]);
  return same ? null : next;
}

/**
 * Bind host, ports and TLS files. They are written to the data dir's config.json and apply when
 * the node restarts, so the fields show both what runs now and what a restart would use.
 */
export function ListenerFields({
  view,
  draft,
  onChange,
  error,
}: {
  view: SettingsView;
  draft: ListenerDraft;
  onChange: (d: ListenerDraft) => void;
  error: ConsoleError | null;
}) {
  const s = view.server;
  const put = (k: keyof ListenerDraft) => (e: { target: { value: string } }) => onChange({ ...draft, [k]: e.target.value });
  return (
    <Section title="Listener (restart to apply)">
      <p className="muted">
        Running now on <span className="mono">{s.host}</span>, SCIM port <span className="mono">{s.port}</span>, console{' '}
        <span className="mono">{s.consolePort ?? 'off'}</span>, {s.tlsCert ? 'TLS on' : 'plain HTTP'}. Changes go to{' '}
        <span className="mono">{view.configFile ?? 'the config file'}</span> and apply when the node restarts; command-line flags and
        environment variables still win.
      </p>
      {view.restartRequired ? (
        <p className="warn-text" role="note">
          config.json asks for a different listener than the one running: restart the node to apply it.
        </p>
      ) : null}
      <fieldset className="setting">
        <legend>Listener</legend>
        <div className="form-row">
          <Field label="Bind host">
            <input value={draft.host} onChange={put('host')} />
          </Field>
          <Field label="SCIM port">
            <input type="number" min={0} max={65535} value={draft.port} onChange={put('port')} />
          </Field>
          <Field label="Console port" hint="Empty turns the web console off">
            <input type="number" min={0} max={65535} value={draft.consolePort} onChange={put('consolePort')} />
          </Field>
        </div>
        <div className="form-row">
          <Field label="TLS certificate file" hint="PEM; empty for plain HTTP">
            <input value={draft.cert} onChange={put('cert')} />
          </Field>
          <Field label="TLS key file">
            <input value={draft.key} onChange={put('key')} />
          </Field>
        </div>
        <InlineError error={error} />
      </fieldset>
    </Section>
  );
}
