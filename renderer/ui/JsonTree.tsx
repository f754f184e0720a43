import { useState } from 'react';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const PAGE = 100;

function Scalar({ value }: { value: Json }) {
  if (value === null) return <span className="j-null">null</span>;
  if (typeof value === 'string') return <span className="j-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="j-number">{String(value)}</span>;
  return <span className="j-bool">{String(value)}</span>;
}

function Node({ name, value, depth, openDepth }: { name: string | null; value: Json; depth: number; openDepth: number }) {
  const isArr = Array.isArray(value);
  const isObj = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(depth < openDepth);
  const [shown, setShown] = useState(PAGE);
  const label = name === null ? null : <span className="j-key">{name}: </span>;
  if (!isObj) {
    return (
      <li className="j-leaf">
        {label}
        <Scalar value={value} />
      </li>
    );
  }
  const entries: [string, Json][] = isArr ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = isArr ? `[${entries.length}]` : `{${entries.length}}`;
  if (entries.length === 0) {
    return (
      <li className="j-leaf">
        {label}
        <span className="j-punct">{isArr ? '[]' : '{}'}</span>
      </li>
    );
  }
  return (
    <li className="j-branch">
      <button type="button" className="j-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="j-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {label}
        <span className="j-punct">{summary}</span>
      </button>
      {open ? (
        <ul className="j-children">
          {entries.slice(0, shown).map(([k, v]) => (
            <Node key={k} name={isArr ? `${k}` : k} value={v} depth={depth + 1} openDepth={openDepth} />
          ))}
          {entries.length > shown ? (
            <li>
              <button type="button" className="j-more" onClick={() => setShown(shown + PAGE)}>
                Show {Math.min(PAGE, entries.length - shown)} more of {entries.length - shown}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

/** A collapsible JSON tree: branches are buttons (keyboard-operable), big arrays render 100 at a time. */
export function JsonTree({ value, label, openDepth = 2 }: { value: unknown; label: string; openDepth?: number }) {
  return (
    <ul className="jtree" aria-label={label}>
      <Node name={null} value={value as Json} depth={0} openDepth={openDepth} />
    </ul>
  );
}

/** Parses a stored body for the tree view; null when it is empty or not JSON (the raw view still shows it). */
export function parseJson(text: string | null): { ok: true; value: unknown } | { ok: false } {
  if (text === null || text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
