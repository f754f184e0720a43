import { useState } from 'react';
import { CopyButton } from '../../ui/CopyButton';
import { JsonTree, parseJson } from '../../ui/JsonTree';

/** One body (request or response): a collapsible tree when it is JSON, always the raw text on demand. */
export function Payload({ title, body, initialRaw = false }: { title: string; body: string | null; initialRaw?: boolean }) {
  const parsed = parseJson(body);
  const [raw, setRaw] = useState(initialRaw || !parsed.ok);
  return (
    <section className="payload" aria-label={title}>
      <header className="payload-head">
        <h3>{title}</h3>
        <fieldset className="seg">
          <legend className="sr-only">{title} view</legend>
          <button type="button" aria-pressed={!raw} disabled={!parsed.ok} onClick={() => setRaw(false)}>
            Tree
          </button>
          <button type="button" aria-pressed={raw} onClick={() => setRaw(true)}>
            Raw
          </button>
        </fieldset>
        {body ? <CopyButton text={body} what={title} /> : null}
      </header>
      {body === null || body === '' ? (
        <p className="muted">No body</p>
      ) : raw || !parsed.ok ? (
        <pre className="code-block raw">{body}</pre>
      ) : (
        <div className="tree-wrap">
          <JsonTree value={parsed.value} label={`${title} JSON`} />
        </div>
      )}
    </section>
  );
}
