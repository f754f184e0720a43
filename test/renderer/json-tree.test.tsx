// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonTree, parseJson } from '../../renderer/ui/JsonTree';

afterEach(cleanup);

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'alice@example.com',
  active: true,
  name: { givenName: 'Alice', familyName: 'Liddell', extra: { deep: 1 } },
  emails: [],
  manager: null,
};

describe('JsonTree', () => {
  it('renders scalars with their JSON spelling and opens the first levels', () => {
    render(<JsonTree value={user} label="Request JSON" />);
    const tree = screen.getByRole('list', { name: 'Request JSON' });
    expect(tree.textContent).toContain('userName: "alice@example.com"');
    expect(tree.textContent).toContain('active: true');
    expect(tree.textContent).toContain('manager: null');
    expect(tree.textContent).toContain('emails: []');
    expect(tree.textContent).toContain('givenName: "Alice"');
    // Depth 2 and below start collapsed.
    expect(tree.textContent).not.toContain('deep: 1');
  });

  it('collapses and expands branches with buttons carrying aria-expanded', () => {
    render(<JsonTree value={user} label="t" />);
    const name = screen.getByRole('button', { name: /name: \{3\}/ });
    expect(name.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(name);
    expect(name.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText('"Alice"')).toBeNull();
    fireEvent.click(name);
    fireEvent.click(screen.getByRole('button', { name: /extra: \{1\}/ }));
    expect(screen.getByText('1')).toBeTruthy();
  });

  it('renders big arrays a page at a time', () => {
    const big = Array.from({ length: 250 }, (_, i) => i);
    render(<JsonTree value={{ items: big }} label="t" />);
    expect(screen.getAllByRole('listitem').filter((li) => li.className === 'j-leaf')).toHaveLength(100);
    fireEvent.click(screen.getByRole('button', { name: 'Show 100 more of 150' }));
    expect(screen.getAllByRole('listitem').filter((li) => li.className === 'j-leaf')).toHaveLength(200);
  });

  it('parses bodies, refusing empty and non-JSON text', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('')).toEqual({ ok: false });
    expect(parseJson(null)).toEqual({ ok: false });
    expect(parseJson('<html>')).toEqual({ ok: false });
  });
});
