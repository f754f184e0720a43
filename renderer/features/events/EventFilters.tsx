import { type FormEvent, useState } from 'react';
import type { EventFilter } from '../../../server/console/contract';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';

type Draft = Record<'statusClass' | 'method' | 'resourceType' | 'userName' | 'tokenId' | 'requestId' | 'text', string>;

const toDraft = (f: EventFilter): Draft => ({
  statusClass: f.statusClass ? String(f.statusClass) : '',
  method: f.method ?? '',
  resourceType: f.resourceType ?? '',
  userName: f.userName ?? '',
  tokenId: f.tokenId ?? '',
  requestId: f.requestId ?? '',
  text: f.text ?? '',
});

const fromDraft = (d: Draft): EventFilter => ({
  ...(d.statusClass ? { statusClass: Number(d.statusClass) as 2 | 3 | 4 | 5 } : {}),
  method: d.method,
  resourceType: d.resourceType,
  userName: d.userName,
  tokenId: d.tokenId,
  requestId: d.requestId,
  text: d.text,
});

export function EventFilters() {
  const filter = useStore((s) => s.eventFilter);
  const apply = useStore((s) => s.setEventFilter);
  const [d, setD] = useState<Draft>(() => toDraft(filter));
  const put = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void apply(fromDraft(d));
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Event filters">
      <Field label="Status">
        <select value={d.statusClass} onChange={put('statusClass')}>
          <option value="">Any</option>
          <option value="2">2xx</option>
          <option value="3">3xx</option>
          <option value="4">4xx</option>
          <option value="5">5xx</option>
        </select>
      </Field>
      <Field label="Method">
        <select value={d.method} onChange={put('method')}>
          <option value="">Any</option>
          {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </Field>
      <Field label="Resource">
        <select value={d.resourceType} onChange={put('resourceType')}>
          <option value="">Any</option>
          <option value="User">User</option>
          <option value="Group">Group</option>
        </select>
      </Field>
      <Field label="userName">
        <input value={d.userName} onChange={put('userName')} />
      </Field>
      <Field label="Token id">
        <input value={d.tokenId} onChange={put('tokenId')} />
      </Field>
      <Field label="Request id">
        <input value={d.requestId} onChange={put('requestId')} />
      </Field>
      <Field label="Text in payloads">
        <input type="search" value={d.text} onChange={put('text')} />
      </Field>
      <div className="filter-actions">
        <Button type="submit" variant="primary">
          Apply
        </Button>
        <Button
          onClick={() => {
            setD(toDraft({}));
            void apply({});
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
