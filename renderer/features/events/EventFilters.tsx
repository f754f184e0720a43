import { type FormEvent, useEffect, useState } from 'react';
import type { EventFilter } from '../../../server/console/contract';
import { hrefOf, navigate } from '../../app/routes';
import { useStore } from '../../app/store';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { fromLocalInput, parseStatuses, QUICK_RANGES, queryOfFilter, toLocalInput } from './url';

type Text = 'statusClass' | 'status' | 'method' | 'resourceType' | 'userName' | 'tokenId' | 'requestId' | 'text';
type Draft = Record<Text | 'range' | 'since' | 'until', string>;

const toDraft = (f: EventFilter): Draft => ({
  statusClass: f.statusClass ? String(f.statusClass) : '',
  status: f.statuses?.join(', ') ?? '',
  method: f.method ?? '',
  resourceType: f.resourceType ?? '',
  userName: f.userName ?? '',
  tokenId: f.tokenId ?? '',
  requestId: f.requestId ?? '',
  text: f.text ?? '',
  // A range from a link is absolute: shown as custom, so the view is exactly what was shared.
  range: f.since || f.until ? 'custom' : '',
  since: toLocalInput(f.since),
  until: toLocalInput(f.until),
});

function fromDraft(d: Draft, keep: EventFilter, now: number): EventFilter {
  const quick = QUICK_RANGES.find((r) => r.id === d.range);
  const codes = parseStatuses(d.status);
  return {
    ...(keep.resourceId ? { resourceId: keep.resourceId } : {}),
    ...(d.statusClass ? { statusClass: Number(d.statusClass) as 2 | 3 | 4 | 5 } : {}),
    ...(codes.length ? { statuses: codes } : {}),
    method: d.method,
    resourceType: d.resourceType,
    userName: d.userName,
    tokenId: d.tokenId,
    requestId: d.requestId,
    text: d.text,
    ...(quick ? { since: new Date(now - quick.ms).toISOString() } : {}),
    ...(d.range === 'custom' ? { since: fromLocalInput(d.since), until: fromLocalInput(d.until) } : {}),
  };
}

/** Tokens by label (and prefix, to tell two alike apart); the filter sends the id. */
function TokenSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const tokens = useStore((s) => s.tokens);
  useEffect(() => {
    if (useStore.getState().tokens.status === 'idle') void useStore.getState().loadTokens();
  }, []);
  const list = tokens.data ?? [];
  return (
    <Field label="Token">
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {list.map((t) => (
          <option key={t.id} value={t.id}>
            {t.label} ({t.prefix}…){t.state === 'active' ? '' : ` · ${t.state}`}
          </option>
        ))}
        {value && !list.some((t) => t.id === value) ? <option value={value}>token {value.slice(0, 8)}…</option> : null}
      </select>
    </Field>
  );
}

/** The filter form. Applying writes the URL (#/events?…); the URL drives the list, so a view is a link. */
export function EventFilters() {
  const filter = useStore((s) => s.eventFilter);
  // A filter that arrives from a link or a click elsewhere resets the form to it.
  return <FilterForm key={JSON.stringify(queryOfFilter(filter))} filter={filter} />;
}

function FilterForm({ filter }: { filter: EventFilter }) {
  const [d, setD] = useState<Draft>(() => toDraft(filter));
  const put = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });
  const badCodes = d.status.trim() !== '' && parseStatuses(d.status).length !== d.status.split(',').filter((x) => x.trim()).length;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (badCodes) return;
    // A new filter closes the open event: the detail belongs to the list it was opened from.
    navigate(hrefOf('events', null, queryOfFilter(fromDraft(d, filter, Date.now()))));
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
      <Field label="Status codes" hint={badCodes ? 'use codes like 400, 409' : 'e.g. 400, 409'}>
        <input value={d.status} onChange={put('status')} placeholder="409" inputMode="numeric" aria-invalid={badCodes || undefined} />
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
      <Field label="Time range">
        <select value={d.range} onChange={put('range')}>
          <option value="">Any time</option>
          {QUICK_RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </Field>
      {d.range === 'custom' ? (
        <>
          <Field label="From">
            <input type="datetime-local" value={d.since} onChange={put('since')} />
          </Field>
          <Field label="To">
            <input type="datetime-local" value={d.until} onChange={put('until')} />
          </Field>
        </>
      ) : null}
      <TokenSelect value={d.tokenId} onChange={(tokenId) => setD({ ...d, tokenId })} />
      <Field label="userName">
        <input value={d.userName} onChange={put('userName')} />
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
            navigate(hrefOf('events'));
          }}
        >
          Clear
        </Button>
      </div>
      {filter.resourceId ? (
        <p className="muted filter-note">
          Only requests on resource <span className="mono">{filter.resourceId}</span>.{' '}
          <a href={hrefOf('events', null, { ...queryOfFilter(filter), resource: undefined })}>Show all resources</a>
        </p>
      ) : null}
    </form>
  );
}
