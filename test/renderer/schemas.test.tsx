// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/api/call';
import { useStore } from '../../renderer/app/store';
import { SchemasScreen } from '../../renderer/features/schemas/SchemasScreen';
import type { DeclareOutcome, ExtensionSchema } from '../../server/console/contract';
import { type FakeClient, fakeClient } from './fake-client';

const URN = 'urn:ietf:params:scim:schemas:extension:Badges:2.0:User';
const initial = useStore.getState();
let client: FakeClient;
let declared: ExtensionSchema[];

const schema = (attributes: ExtensionSchema['attributes']): ExtensionSchema => ({ id: URN, name: 'Badges', description: '', attributes });
const attr = (name: string, type: 'string' | 'integer', extra: Partial<ExtensionSchema['attributes'][number]> = {}) => ({
  name,
  type,
  multiValued: false,
  description: '',
  required: false,
  caseExact: false,
  mutability: 'readWrite' as const,
  returned: 'default' as const,
  uniqueness: 'none' as const,
  ...extra,
});

beforeEach(() => {
  useStore.setState(initial, true);
  declared = [];
  client = fakeClient();
  client.handle('schemas.list', () => declared);
  client.handle('schemas.undeclared', () =>
    declared.length
      ? []
      : [
          {
            urn: URN,
            attribute: 'badgeId',
            valueTypes: ['string'],
            firstSeen: '2026-01-01T00:00:00Z',
            lastSeen: '2026-01-02T00:00:00Z',
            count: 4,
          },
          {
            urn: URN,
            attribute: 'floor',
            valueTypes: ['integer'],
            firstSeen: '2026-01-01T00:00:00Z',
            lastSeen: '2026-01-02T00:00:00Z',
            count: 4,
          },
        ],
  );
  client.handle('schemas.propose', ({ urn }) => ({
    id: urn,
    name: 'Badges',
    description: '',
    attributes: [
      { name: 'badgeId', type: 'string', multiValued: false },
      { name: 'floor', type: 'integer', multiValued: false },
    ],
  }));
  setClient(client);
});

afterEach(() => {
  cleanup();
  setClient(null);
});

describe('Extensions screen', () => {
  it('one-click Declare proposes from the values seen, then declares and moves it to the declared list', async () => {
    client.handle('schemas.declare', ({ checkOnly }): DeclareOutcome => {
      const s = schema([attr('badgeId', 'string'), attr('floor', 'integer')]);
      if (!checkOnly) declared = [s];
      return { applied: !checkOnly, declaration: s, violations: [], total: 0 };
    });
    render(<SchemasScreen />);
    const seen = await screen.findByRole('table', { name: 'Undeclared attributes seen' });
    expect(within(seen).getByText('badgeId')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: `Declare ${URN}` })));
    const editor = screen.getByRole('textbox', { name: /Declaration/ }) as HTMLTextAreaElement;
    expect(JSON.parse(editor.value)).toEqual({
      id: URN,
      name: 'Badges',
      description: '',
      attributes: [
        { name: 'badgeId', type: 'string', multiValued: false },
        { name: 'floor', type: 'integer', multiValued: false },
      ],
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check against stored data' })));
    expect((await screen.findByRole('status')).textContent).toBe('The stored data satisfies this declaration.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Declare' })));
    expect((await screen.findByRole('status')).textContent).toBe(`Declared ${URN}.`);
    const list = await screen.findByRole('table', { name: 'Declared extensions' });
    expect(within(list).getByText('floor: integer')).toBeTruthy();
    expect(screen.getByText('No undeclared attributes seen')).toBeTruthy();
    expect(client.calls.filter((c) => c.method === 'schemas.declare').map((c) => c.params)).toEqual([
      { declaration: JSON.parse(editor.value), checkOnly: true },
      { declaration: JSON.parse(editor.value) },
    ]);
  });

  it('shows the violations of a declaration the stored data does not fit', async () => {
    client.handle('schemas.declare', () => ({
      applied: false,
      declaration: schema([attr('badgeId', 'string', { uniqueness: 'server' })]),
      violations: [
        {
          userId: 'u1',
          userName: 'a@x',
          attribute: `${URN}:badgeId`,
          problem: 'duplicate',
          value: 'B-1',
          detail: 'shares this value with 1 other user(s)',
        },
        {
          userId: 'u2',
          userName: 'b@x',
          attribute: `${URN}:badgeId`,
          problem: 'duplicate',
          value: 'B-1',
          detail: 'shares this value with 1 other user(s)',
        },
      ],
      total: 2,
    }));
    render(<SchemasScreen />);
    await screen.findByRole('table', { name: 'Undeclared attributes seen' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Declare' })));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('2 stored value(s) do not fit this declaration; nothing was changed.');
    const rows = within(alert)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent);
    expect(rows).toEqual([
      `a@x${URN}:badgeIdshares this value with 1 other user(s)"B-1"`,
      `b@x${URN}:badgeIdshares this value with 1 other user(s)"B-1"`,
    ]);
  });

  it('says what is wrong with a draft that is not JSON, without calling the node', async () => {
    render(<SchemasScreen />);
    await screen.findByRole('table', { name: 'Undeclared attributes seen' });
    fireEvent.change(screen.getByRole('textbox', { name: /Declaration/ }), { target: { value: '{"id": ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Declare' })));
    expect((await screen.findByRole('alert')).textContent).toContain('not JSON');
    expect(client.calls.some((c) => c.method === 'schemas.declare')).toBe(false);
  });
});
