import { JsonTree } from '../../ui/JsonTree';
import { Table } from '../../ui/Table';
import { resourceHref } from './url';

interface FieldChange {
  kind: string;
  attribute: string;
  from: unknown;
  to: unknown;
}

/** Attribute updates (`user.updated`, `group.updated`) and role changes carry from/to; those make the diff. */
function asFieldChange(c: unknown): FieldChange | null {
  if (typeof c !== 'object' || c === null || !('from' in c) || !('to' in c)) return null;
  const r = c as { kind?: unknown; attribute?: unknown; from: unknown; to: unknown };
  const kind = typeof r.kind === 'string' ? r.kind : 'change';
  const attribute = typeof r.attribute === 'string' ? r.attribute : kind === 'role.changed' ? 'role' : null;
  return attribute === null ? null : { kind, attribute, from: r.from, to: r.to };
}

const show = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The derived changes of a request, and for updates a before/after diff per attribute. */
export function Changes({ changes }: { changes: unknown[] }) {
  const diffs = changes.map(asFieldChange).filter((c): c is FieldChange => c !== null);
  if (changes.length === 0) return <p className="muted">This request changed nothing.</p>;
  return (
    <>
      {diffs.length > 0 ? (
        <Table caption="Before and after" head={['Attribute', 'Before', 'After']} className="diff">
          {diffs.map((d) => (
            <tr key={`${d.kind}:${d.attribute}:${show(d.to)}`}>
              <td className="mono">{d.attribute}</td>
              <td className="mono diff-from">{show(d.from)}</td>
              <td className="mono diff-to">{show(d.to)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      <Touched changes={changes} />
      <JsonTree value={changes} label="Derived changes" openDepth={1} />
    </>
  );
}

/** Links to every user and group the changes name, so a change leads to the resource it changed. */
function Touched({ changes }: { changes: unknown[] }) {
  const seen = new Map<string, 'User' | 'Group'>();
  for (const c of changes) {
    if (typeof c !== 'object' || c === null) continue;
    const r = c as Record<string, unknown>;
    if (typeof r.userId === 'string') seen.set(r.userId, 'User');
    if (typeof r.groupId === 'string') seen.set(r.groupId, 'Group');
    if (typeof r.memberId === 'string') seen.set(r.memberId, r.memberType === 'Group' ? 'Group' : 'User');
  }
  if (seen.size === 0) return null;
  return (
    <p className="touched">
      Changed:{' '}
      {[...seen].map(([id, type], i) => (
        <span key={id}>
          {i > 0 ? ', ' : ''}
          <a href={resourceHref(type, id)}>
            {type.toLowerCase()} <span className="mono">{id.slice(0, 8)}</span>
          </a>
        </span>
      ))}
    </p>
  );
}
