import { useEffect } from 'react';
import type { DeclareOutcome, ExtensionAttribute, UndeclaredAttribute } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { Field } from '../../ui/Field';
import { RemoteView } from '../../ui/RemoteView';
import { ScreenHeader, Section } from '../../ui/Section';
import { Table } from '../../ui/Table';

function attributeText(a: ExtensionAttribute): string {
  const flags = (['multiValued', 'required', 'caseExact', 'indexed'] as const).filter((k) => a[k] === true);
  const all = [...flags, ...(a.uniqueness === 'server' ? ['unique'] : [])];
  return `${a.name}: ${a.type}${all.length ? ` (${all.join(', ')})` : ''}`;
}

/** Undeclared attributes grouped by URN, so "Declare" proposes one extension with all its attributes. */
function byUrn(rows: UndeclaredAttribute[]): [string, UndeclaredAttribute[]][] {
  const m = new Map<string, UndeclaredAttribute[]>();
  for (const r of rows) m.set(r.urn, [...(m.get(r.urn) ?? []), r]);
  return [...m.entries()];
}

function Outcome({ outcome }: { outcome: DeclareOutcome }) {
  if (outcome.applied) return <p role="status">Declared {outcome.declaration.id}.</p>;
  if (outcome.total === 0) return <p role="status">The stored data satisfies this declaration.</p>;
  return (
    <div role="alert">
      <p>
        {outcome.total} stored value(s) do not fit this declaration; nothing was changed.
        {outcome.total > outcome.violations.length ? ` The first ${outcome.violations.length} are listed.` : ''}
      </p>
      <Table caption="Violations" head={['Member', 'Attribute', 'Problem', 'Value']}>
        {outcome.violations.map((v) => (
          <tr key={`${v.userId}-${v.attribute}-${v.problem}`}>
            <td>{v.userName}</td>
            <td className="mono">{v.attribute}</td>
            <td>{v.detail}</td>
            <td className="mono">{v.value === undefined ? '' : JSON.stringify(v.value)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function SchemasScreen() {
  const extensions = useStore((s) => s.extensions);
  const undeclared = useStore((s) => s.undeclared);
  const draft = useStore((s) => s.draft);
  const declared = useStore((s) => s.declared);
  const load = useStore((s) => s.loadSchemas);
  const setDraft = useStore((s) => s.setDraft);
  const propose = useStore((s) => s.proposeFor);
  const submit = useStore((s) => s.submitDraft);
  const remove = useStore((s) => s.removeExtension);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <ScreenHeader title="Extensions" />
      <Section title="Declared extensions">
        <RemoteView remote={extensions} what="extensions" retry={() => void load()}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No extension schemas declared">
                Custom attributes are kept as undeclared data until you declare them.
              </EmptyState>
            ) : (
              <Table caption="Declared extensions" head={['Schema', 'Attributes', '']}>
                {list.map((x) => (
                  <tr key={x.id}>
                    <td className="mono">{x.id}</td>
                    <td>
                      {x.attributes.map((a) => (
                        <div key={a.name}>{attributeText(a)}</div>
                      ))}
                    </td>
                    <td>
                      <Button onClick={() => setDraft(JSON.stringify(x, null, 2))} aria-label={`Edit ${x.id}`}>
                        Edit
                      </Button>
                      <Button onClick={() => void remove(x.id)} aria-label={`Remove ${x.id}`}>
                        Remove
                      </Button>
                    </td>
                  </tr>
                ))}
              </Table>
            )
          }
        </RemoteView>
      </Section>
      <Section title="Undeclared attributes seen">
        <RemoteView remote={undeclared} what="undeclared attributes" retry={() => void load()}>
          {(rows) =>
            rows.length === 0 ? (
              <EmptyState title="No undeclared attributes seen" />
            ) : (
              <Table caption="Undeclared attributes seen" head={['Schema', 'Attribute', 'Value types', 'Seen', 'Last seen', '']}>
                {byUrn(rows).flatMap(([urn, attrs]) =>
                  attrs.map((r, i) => (
                    <tr key={`${r.urn}:${r.attribute}`}>
                      <td className="mono">{i === 0 ? urn : ''}</td>
                      <td className="mono">{r.attribute}</td>
                      <td>{r.valueTypes.join(', ')}</td>
                      <td>{r.count}</td>
                      <td>{r.lastSeen}</td>
                      <td>
                        {i === 0 ? (
                          <Button onClick={() => void propose(urn)} aria-label={`Declare ${urn}`}>
                            Declare
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  )),
                )}
              </Table>
            )
          }
        </RemoteView>
      </Section>
      <Section title="Declare an extension">
        <Field label="Declaration (RFC 7643 §7 schema JSON)">
          <textarea className="mono" rows={14} value={draft} onChange={(e) => setDraft(e.target.value)} />
        </Field>
        <div className="form-row">
          <Button onClick={() => void submit(true)}>Check against stored data</Button>
          <Button onClick={() => void submit(false)}>Declare</Button>
        </div>
        {declared.status === 'error' ? <ErrorState error={declared.error} /> : null}
        {declared.data && declared.status !== 'error' ? <Outcome outcome={declared.data} /> : null}
      </Section>
    </>
  );
}
