import { type FormEvent, useState } from 'react';
import type { ListenerConfig, SettingsView } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { InlineError } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { Section } from '../../ui/Section';

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/**
 * Bind host, ports and TLS files. They are written to the data dir's config.json and apply when
 * the node restarts, so the form shows both what runs now and what a restart would use.
 */
export function ListenerForm({ view }: { view: SettingsView }) {
  const save = useStore((s) => s.saveListener);
  const saving = useStore((s) => s.listenerSaving);
  const error = useStore((s) => s.listenerError);
  const start: ListenerConfig = { ...view.server, ...view.configured };
  const [host, setHost] = useState(start.host);
  const [port, setPort] = useState(String(start.port));
  const [consolePort, setConsolePort] = useState(start.consolePort === null ? '' : String(start.consolePort));
  const [cert, setCert] = useState(start.tlsCert ?? '');
  const [key, setKey] = useState(start.tlsKey ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({
      host: host.trim(),
      port: Number(port),
      consolePort: consolePort.trim() === '' ? null : Number(consolePort),
      tlsCert: orNull(cert),
      tlsKey: orNull(key),
    });
  };
  const s = view.server;
  return (
    <Section title="Listener (applies on restart)">
      <p className="muted">
        Running now on <span className="mono">{s.host}</span>, SCIM port <span className="mono">{s.port}</span>, console{' '}
        <span className="mono">{s.consolePort ?? 'off'}</span>, {s.tlsCert ? 'TLS on' : 'plain HTTP'}. Changes go to{' '}
        <span className="mono">{view.configFile ?? 'the config file'}</span>; command-line flags and environment variables still win.
      </p>
      {view.restartRequired ? (
        <p className="ok-text" role="status">
          Saved. Restart the node to apply the new listener.
        </p>
      ) : null}
      <form className="setting" onSubmit={submit} aria-label="Listener">
        <div className="form-row">
          <Field label="Bind host">
            <input value={host} onChange={(e) => setHost(e.target.value)} />
          </Field>
          <Field label="SCIM port">
            <input type="number" min={0} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
          </Field>
          <Field label="Console port" hint="Empty turns the web console off">
            <input type="number" min={0} max={65535} value={consolePort} onChange={(e) => setConsolePort(e.target.value)} />
          </Field>
        </div>
        <div className="form-row">
          <Field label="TLS certificate file" hint="PEM; empty for plain HTTP">
            <input value={cert} onChange={(e) => setCert(e.target.value)} />
          </Field>
          <Field label="TLS key file">
            <input value={key} onChange={(e) => setKey(e.target.value)} />
          </Field>
          <Button type="submit" busy={saving}>
            Save listener
          </Button>
        </div>
      </form>
      <InlineError error={error} />
    </Section>
  );
}
